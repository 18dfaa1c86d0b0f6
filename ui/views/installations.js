// @ts-check
// Installations: each installed connector with its live status, token expiry
// and last refresh, and the actions Test connection, Re-authenticate, Uninstall.

/** @import {AppState, ConnectorView, Installation, InstallationView, PageQuery, StatusFilter} from '../types.js' */

import * as api from '../api.js';
import { h, confirmDialog, copyText, put } from '../components/dom.js';
import { errorText, showError } from '../components/errors.js';
import { renderInstallForm } from './install-form.js';
import { renderMethods } from './methods.js';
import { renderMigrationGuide } from './migration-guide.js';
import { installationRow, updateRow } from './installation-row.js';
import { needsKeychain } from '../components/keychain-gate.js';
import { connectedPanel, emptyPanel } from './orientation.js';
import { isFirstRun, roleChoice, setUpButtons } from './role-choice.js';
import { signInSettings } from './sign-in-settings.js';

/** @type {(() => void)[]} */
let unlisten = [];

const PAGE = 50;
const FILTERS = [
  ['', 'Any status'],
  ['connected', 'Connected'],
  ['refreshing', 'Refreshing'],
  ['needs_reauth', 'Needs re-auth'],
  ['error', 'Error'],
];

/**
 * @param {HTMLElement} el
 * @param {AppState} state
 * @param {string} [flash] the outcome of what sent the user here
 * @param {Installation} [connected] the installation a sign-in just made: shown as Install's last step
 * @param {string} [changed] the id of an installation just re-authenticated: its row is marked
 */
export async function renderInstallations(el, state, flash, connected, changed) {
  // A new installation's panel says what happened ("Connected to …"): no second, generic line.
  const status = h(
    'p',
    { id: 'installations-status', class: 'status', role: 'status', 'aria-live': 'polite' },
    connected ? '' : (flash ?? ''),
  );
  const error = h('div', { id: 'installations-error', class: 'error', role: 'alert', hidden: true });
  // One toolbar row: search and filter (once there is something to search), then the buttons.
  const actions = h('div', { class: 'toolbar-actions' });
  const toolbar = h('div', { class: 'list-toolbar' }, actions);
  const body = h('div', { id: 'installations-list' });
  // Done puts the keyboard on the list, which is what it leads back to.
  const done = connected ? connectedPanel(connected, () => search.focus()) : null;
  put(el, h('h2', {}, 'Installations'), done, status, error, toolbar, body);
  if (done) {
    // The Install form may have been scrolled down to Sign In; the end of it is at the top.
    window.scrollTo(0, 0);
    done.querySelector('button')?.focus({ preventScroll: true });
  }
  // Benchmarks read this mark and 'installations-view-rendered' (the page's own clock).
  performance.mark('installations-view-start');
  // A page at a time, however many there are: search and filter run in the core.
  /** @type {{offset: number, limit: number, search: string, status: StatusFilter|''|null}} */
  const query = { offset: 0, limit: PAGE, search: '', status: null };
  // The view's three start-up calls go out together; each is awaited where it is used.
  const firstPage = api.installationsList(/** @type {PageQuery} */ ({ ...query })); // status is null yet
  const settings = signInSettings();
  /** @type {ConnectorView[]} */
  let connectors;
  try {
    connectors = await api.libraryList();
  } catch (err) {
    showError(error, err);
    return;
  }
  /** @type {(message: string, installation?: Installation) => void} */
  const back = (message, installation) => renderInstallations(el, state, message, installation);
  /**
   * After a re-authentication (or a move to Entra ID) signed in: say which, on the list, with
   * the row marked where it was. It is no new installation, so no Connected step.
   * @param {InstallationView} before
   * @returns {typeof back}
   */
  const afterReauth = (before) => (message, installation) => {
    if (!installation) return back(message);
    const which = `${installation.organization} / ${installation.project}`;
    const said =
      before.auth_type === 'legacy' && installation.auth_type === 'entra'
        ? `Moved ${which} to Entra ID.`
        : `Re-authenticated ${which} as ${installation.user.display_name}.`;
    renderInstallations(el, state, said, undefined, installation.id);
  };
  // In the toolbar once something is installed; until then in the empty state, where they are the next action.
  const installButtons = connectors.map((c) =>
    needsKeychain(
      h(
        'button',
        { type: 'button', class: 'primary', id: `install-${c.manifest.id}`, onclick: () => renderInstallForm(el, state, c, null, back) },
        `Install ${c.manifest.name}`,
      ),
      state.keychain,
    ),
  );
  // The end of an install has one next step, Done: another Install waits in the toolbar, not as a primary.
  if (done) for (const b of installButtons) b.classList.remove('primary');
  const diagnostics = h('button', { type: 'button', id: 'save-diagnostics' }, 'Save diagnostics');
  diagnostics.addEventListener('click', async () => {
    diagnostics.disabled = true;
    try {
      const path = await api.diagnosticsSave();
      const copied = h('span', { id: 'diagnostics-copied' });
      status.replaceChildren(
        `Diagnostics saved to ${path} (secrets, tokens, emails and ids removed). `,
        h(
          'button',
          {
            type: 'button',
            class: 'link',
            id: 'diagnostics-show',
            onclick: () => api.diagnosticsShowFolder().catch((err) => showError(error, err)),
          },
          'Show in folder',
        ),
        ' \u00b7 ',
        h(
          'button',
          {
            type: 'button',
            class: 'link',
            id: 'diagnostics-copy',
            onclick: async () => {
              copied.textContent = (await copyText(path)) ? ' Copied.' : ' Select the path and copy it.';
            },
          },
          'Copy path',
        ),
        copied,
      );
    } catch (err) {
      showError(error, err);
    }
    diagnostics.disabled = false;
  });
  actions.append(diagnostics);
  el.append(await settings);

  /**
   * @param {InstallationView} i
   * @param {HTMLButtonElement} button
   */
  async function test(i, button) {
    error.hidden = true;
    button.disabled = true;
    // The answer shows in the row it is about (announced from there), not at the top of the page.
    const result = /** @type {HTMLElement} */ (button.closest('tr')?.querySelector('[data-cell=test-result]'));
    result.className = 'test-result muted';
    result.textContent = 'Testing\u2026';
    try {
      result.textContent = await api.installationTest(i.id);
      result.className = 'test-result ok';
    } catch (err) {
      result.textContent = errorText(err);
      result.className = 'test-result field-error';
    }
    button.disabled = false;
  }

  /** @param {InstallationView} i */
  async function uninstall(i) {
    const ok = await confirmDialog(
      `Uninstall ${i.organization} / ${i.project}?`,
      'Its tokens are removed from the keychain and the connector stops working for this project. You can install it again later.',
      'Uninstall',
    );
    if (!ok) return;
    try {
      await api.installationUninstall(i.id);
      back(`Uninstalled ${i.organization} / ${i.project}.`);
    } catch (err) {
      showError(error, err);
    }
  }

  // An installation's connector is always in the list: the manifests ship with the app.
  /** @type {Parameters<typeof installationRow>[2]} */
  const on = {
    methods: (i) => renderMethods(el, i, /** @type {ConnectorView} */ (connectors.find((x) => x.manifest.id === i.connector)), back),
    test,
    reauth: (i) =>
      renderInstallForm(el, state, /** @type {ConnectorView} */ (connectors.find((x) => x.manifest.id === i.connector)), i, afterReauth(i)),
    uninstall,
    // A shared app moves with its Library entry; an own app with this installation.
    migrate: (i) => {
      const c = /** @type {ConnectorView} */ (connectors.find((x) => x.manifest.id === i.connector));
      return i.source === 'shared'
        ? renderMigrationGuide(el, { kind: 'library', connector: i.connector }, 'Back to installations', back)
        : renderMigrationGuide(el, { kind: 'installation', id: i.id }, 'Back to installations', back, () =>
            renderInstallForm(el, state, c, i, afterReauth(i), true),
          );
    },
  };

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
  const prev = h('button', { type: 'button', id: 'page-prev', onclick: () => turn(-PAGE) }, 'Previous');
  const next = h('button', { type: 'button', id: 'page-next', onclick: () => turn(PAGE) }, 'Next');
  const tools = h(
    'div',
    { class: 'list-tools', hidden: true },
    h('label', { for: 'installations-search' }, 'Search'),
    search,
    h('label', { for: 'installations-filter' }, 'Status'),
    filter,
    info,
  );
  toolbar.prepend(tools);
  // Status comes right after who: it is what a narrow window stacks second (see styles.css).
  // The roles are the table's own; they are explicit because a narrow window's CSS
  // displays the rows as cards, and a table so displayed loses its meaning otherwise.
  const tbody = h('tbody', { id: 'installations-rows', role: 'rowgroup' });
  const table = h(
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
  const pager = h('div', { class: 'actions pager' }, prev, next);

  /** Search and filter left nothing: say so, and offer the way back to the whole list. */
  function noMatch() {
    const label = FILTERS.find(([v]) => v === query.status)?.[1];
    const text = query.search
      ? `No installation matches \u201c${query.search}\u201d${label ? ` with the status ${label}` : ''}.`
      : `No installation has the status ${label}.`;
    const clear = () => {
      search.value = '';
      filter.value = '';
      Object.assign(query, { search: '', status: null, offset: 0 });
      load();
      search.focus();
    };
    return h(
      'div',
      { class: 'empty-state', id: 'installations-no-match' },
      h('p', {}, text),
      h('button', { type: 'button', id: 'installations-clear', onclick: clear }, query.search ? 'Clear search' : 'Show every status'),
    );
  }

  async function load(pending = api.installationsList({ ...query, status: query.status || null })) {
    let page;
    try {
      page = await pending;
    } catch (err) {
      showError(error, err);
      return;
    }
    tools.hidden = page.total === 0;
    // The Library reads this to know whether it is still a first run.
    state.installed = page.total;
    if (page.total === 0) {
      // First run (no Library app either): the two ways in. Otherwise: Install, saying whose app it uses.
      body.replaceChildren(
        isFirstRun(connectors, state)
          ? roleChoice('installations', setUpButtons('installations', connectors, setUp), installButtons)
          : emptyPanel(installButtons, connectors),
      );
      return;
    }
    actions.prepend(...installButtons);
    if (page.matching === 0) {
      info.textContent = `0 of ${page.total}`;
      body.replaceChildren(noMatch());
      return;
    }
    if (!body.contains(table)) body.replaceChildren(table, pager);
    tbody.replaceChildren(
      ...page.rows.map((i) =>
        installationRow(
          i,
          connectors.find((x) => x.manifest.id === i.connector),
          on,
        ),
      ),
    );
    markChanged();
    prev.disabled = page.offset === 0;
    next.disabled = page.offset + page.rows.length >= page.matching;
    // One page needs no pager, only the count: "3 of 12" (matching of all).
    pager.hidden = prev.disabled && next.disabled;
    info.textContent = pager.hidden
      ? `${page.matching} of ${page.total}`
      : `${page.offset + 1}\u2013${page.offset + page.rows.length} of ${page.matching}${page.matching !== page.total ? ` (of ${page.total})` : ''}`;
  }

  /**
   * "Set up the Connector Library": the Library tab, straight into that connector's form.
   * @param {ConnectorView} c
   */
  function setUp(c) {
    state.setUpNext = c.manifest.id;
    document.getElementById('tab-library')?.click();
  }

  /** The re-authenticated row, if on this page: marked, in view, with the keyboard on it. */
  function markChanged() {
    const row = changed ? tbody.querySelector(`tr[data-installation="${CSS.escape(changed)}"]`) : null;
    if (!row) return;
    row.classList.add('just-changed');
    row.scrollIntoView({ block: 'nearest' });
    /** @type {HTMLElement|null} */ (row.querySelector('[data-action=methods]'))?.focus({ preventScroll: true });
    changed = undefined;
  }

  /** @param {number} delta */
  function turn(delta) {
    query.offset = Math.max(0, query.offset + delta);
    load();
  }

  /** @type {number|null} */
  let typing = null;
  search.addEventListener('input', () => {
    clearTimeout(/** @type {number} */ (typing));
    typing = setTimeout(() => {
      query.search = search.value;
      query.offset = 0;
      load();
    }, 150);
  });
  filter.addEventListener('change', () => {
    query.status = /** @type {StatusFilter|''} */ (filter.value);
    query.offset = 0;
    load();
  });

  await load(firstPage);
  performance.mark('installations-view-rendered');
  // "Install it now" after a Library save sent the user here: open that Install form.
  // A click, so a button the keychain gate disabled opens nothing.
  const installNow = installButtons.find((b) => b.id === `install-${state.installNext}`);
  delete state.installNext;
  installNow?.click();

  // Live status: the core pushes every change; rows on screen update in place.
  for (const stop of unlisten) stop();
  unlisten = [
    await api.onInstallationStatus((e) => updateRow(body, e.installation, e.status, e.access_expires_at, e.last_refreshed_at)),
    // Events were missed in a burst, or another process changed something: re-read this page.
    await api.onInstallationsResync(() => load()),
  ];
}
