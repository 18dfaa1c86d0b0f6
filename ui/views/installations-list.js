// @ts-check
// The Installations list: search and filter (once there is something to search), one page of
// rows at a time with the pager, and what shows instead of rows (nothing installed yet,
// nothing matching). Search and filter run in the core: this asks for a page and shows it.
//
// In parts: createList makes the elements and the list's state, wireList the listeners;
// loadPage fills the list from a page, with noMatch and markChanged for the cases between.

import * as api from '../api.js';
import { h } from '../components/dom.js';
import { showError } from '../components/errors.js';
import { installationRow } from './installation-row.js';
import { emptyPanel } from './orientation.js';
import { isFirstRun, roleChoice, setUpButtons } from './role-choice.js';

/** @import {AppState, ConnectorView, Page, StatusFilter} from '../types.js' */

export const PAGE = 50;
const FILTERS = [
  ['', 'Any status'],
  ['connected', 'Connected'],
  ['refreshing', 'Refreshing'],
  ['needs_reauth', 'Needs re-auth'],
  ['error', 'Error'],
];

/** @typedef {{offset: number, limit: number, search: string, status: StatusFilter|''|null}} Query */

/**
 * What the list is shown in and with, from the rest of the view.
 * @typedef {object} ListContext
 * @property {AppState} app the Library reads `installed` from it
 * @property {ConnectorView[]} connectors
 * @property {HTMLButtonElement[]} installButtons in the toolbar once something is installed, until then in the empty state
 * @property {Parameters<typeof installationRow>[2]} on each row's actions
 * @property {(c: ConnectorView) => void} setUp "Set up the Connector Library", from the first run's role choice
 * @property {HTMLElement} body the list's box
 * @property {HTMLElement} actions the toolbar's buttons
 * @property {HTMLElement} error
 */

/**
 * One list: its state (the page asked for, the row to mark, the search being typed), which only
 * the functions below change, and the elements they fill in.
 * @typedef {ListContext & {
 *   state: {query: Query, changed: string|undefined, typing: number|null},
 *   search: HTMLInputElement,
 *   filter: HTMLSelectElement,
 *   info: HTMLElement,
 *   prev: HTMLButtonElement,
 *   next: HTMLButtonElement,
 *   tools: HTMLElement,
 *   tbody: HTMLElement,
 *   table: HTMLTableElement,
 *   pager: HTMLElement,
 * }} List
 */

/**
 * The list's elements: the search tools (hidden until something is installed), the table and the pager.
 * @param {ListContext} context
 * @param {Query} query the first page's, already asked for
 * @param {string|undefined} changed an installation just re-authenticated: its row is marked
 * @returns {List}
 */
export function createList(context, query, changed) {
  const search = h('input', {
    type: 'search',
    id: 'installations-search',
    placeholder: 'Organization, project or user',
    autocomplete: 'off',
  });
  const filter = h(
    'select',
    { id: 'installations-filter' },
    FILTERS.map(([v, label]) => h('option', { value: v }, label)),
  );
  const info = h('span', { id: 'page-info', class: 'muted', role: 'status', 'aria-live': 'polite' });
  const prev = h('button', { type: 'button', id: 'page-prev' }, 'Previous');
  const next = h('button', { type: 'button', id: 'page-next' }, 'Next');
  const tools = h(
    'div',
    { class: 'list-tools', hidden: true },
    h('label', { for: 'installations-search' }, 'Search'),
    search,
    h('label', { for: 'installations-filter' }, 'Status'),
    filter,
    info,
  );
  const tbody = h('tbody', { id: 'installations-rows', role: 'rowgroup' });
  const pager = h('div', { class: 'actions pager' }, prev, next);
  const state = { query, changed, typing: null };
  return { ...context, state, search, filter, info, prev, next, tools, tbody, table: table(tbody), pager };
}

/**
 * The table around the rows. Status comes right after who: it is what a narrow window stacks
 * second (see styles.css). The roles are the table's own; they are explicit because a narrow
 * window's CSS displays the rows as cards, and a table so displayed loses its meaning otherwise.
 * @param {HTMLElement} tbody
 */
function table(tbody) {
  return h(
    'table',
    { class: 'installations', role: 'table' },
    h('caption', { class: 'muted' }, 'Each installation, its status and its token. Status updates live.'),
    h(
      'thead',
      { role: 'rowgroup' },
      h(
        'tr',
        { role: 'row' },
        ['Organization / Project', 'Status', 'Auth', 'Access token expires', 'Last refreshed', 'Actions'].map((t) =>
          h('th', { scope: 'col', role: 'columnheader' }, t),
        ),
      ),
    ),
    tbody,
  );
}

/**
 * Search (as typing pauses), the status filter and the pager each ask for a page again.
 * @param {List} list
 */
export function wireList(list) {
  const { state, search, filter } = list;
  /** @param {number} delta */
  const turn = (delta) => {
    state.query.offset = Math.max(0, state.query.offset + delta);
    loadPage(list);
  };
  list.prev.addEventListener('click', () => turn(-PAGE));
  list.next.addEventListener('click', () => turn(PAGE));
  search.addEventListener('input', () => {
    clearTimeout(/** @type {number} */ (state.typing));
    state.typing = setTimeout(() => {
      state.query.search = search.value;
      state.query.offset = 0;
      loadPage(list);
    }, 150);
  });
  filter.addEventListener('change', () => {
    state.query.status = /** @type {StatusFilter|''} */ (filter.value);
    state.query.offset = 0;
    loadPage(list);
  });
}

/**
 * Shows a page: the rows with the pager and the count, or what shows instead of rows.
 * @param {List} list
 * @param {Promise<Page>} [pending] the page, when already asked for; by default the query's
 */
export async function loadPage(list, pending) {
  const { state, body, tbody, prev, next, pager, info } = list;
  let page;
  try {
    page = await (pending ?? api.installationsList({ ...state.query, status: state.query.status || null }));
  } catch (err) {
    showError(list.error, err);
    return;
  }
  list.tools.hidden = page.total === 0;
  // The Library reads this to know whether it is still a first run.
  list.app.installed = page.total;
  if (page.total === 0) {
    body.replaceChildren(nothingInstalled(list));
    return;
  }
  list.actions.prepend(...list.installButtons);
  if (page.matching === 0) {
    info.textContent = `0 of ${page.total}`;
    body.replaceChildren(noMatch(list));
    return;
  }
  if (!body.contains(list.table)) body.replaceChildren(list.table, pager);
  tbody.replaceChildren(
    ...page.rows.map((i) =>
      installationRow(
        i,
        list.connectors.find((x) => x.manifest.id === i.connector),
        list.on,
      ),
    ),
  );
  markChanged(list);
  prev.disabled = page.offset === 0;
  next.disabled = page.offset + page.rows.length >= page.matching;
  // One page needs no pager, only the count: "3 of 12" (matching of all).
  pager.hidden = prev.disabled && next.disabled;
  info.textContent = pager.hidden
    ? `${page.matching} of ${page.total}`
    : `${page.offset + 1}\u2013${page.offset + page.rows.length} of ${page.matching}${page.matching !== page.total ? ` (of ${page.total})` : ''}`;
}

/**
 * Nothing installed. First run (no Library app either): the two ways in. Otherwise: Install,
 * saying whose app it uses.
 * @param {List} list
 */
function nothingInstalled({ app, connectors, installButtons, setUp }) {
  return isFirstRun(connectors, app)
    ? roleChoice('installations', setUpButtons('installations', connectors, setUp), installButtons)
    : emptyPanel(installButtons, connectors);
}

/**
 * Search and filter left nothing: say so, and offer the way back to the whole list.
 * @param {List} list
 */
function noMatch(list) {
  const { query } = list.state;
  const label = FILTERS.find(([v]) => v === query.status)?.[1];
  const text = query.search
    ? `No installation matches \u201c${query.search}\u201d${label ? ` with the status ${label}` : ''}.`
    : `No installation has the status ${label}.`;
  const clear = () => {
    list.search.value = '';
    list.filter.value = '';
    Object.assign(query, { search: '', status: null, offset: 0 });
    loadPage(list);
    list.search.focus();
  };
  return h(
    'div',
    { class: 'empty-state', id: 'installations-no-match' },
    h('p', {}, text),
    h('button', { type: 'button', id: 'installations-clear', onclick: clear }, query.search ? 'Clear search' : 'Show every status'),
  );
}

/**
 * The re-authenticated row, if on this page: marked, in view, with the keyboard on it.
 * @param {List} list
 */
function markChanged({ state, tbody }) {
  const row = state.changed ? tbody.querySelector(`tr[data-installation="${CSS.escape(state.changed)}"]`) : null;
  if (!row) return;
  row.classList.add('just-changed');
  row.scrollIntoView({ block: 'nearest' });
  /** @type {HTMLElement|null} */ (row.querySelector('[data-action=methods]'))?.focus({ preventScroll: true });
  state.changed = undefined;
}
