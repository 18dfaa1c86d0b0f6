// @ts-check
// The scope picker: the catalog grouped by category, searchable, with the
// registration-page name and the scope string side by side, high-privilege
// marks, what a chosen scope already includes, and a "paste scopes" box.
// It leads with the answer: the chosen scopes as chips, and (Entra) a one-click
// recommended preset, above the catalog.
// Plain checkboxes: Tab moves between them, Space toggles.
//
// In parts: buildPicker makes the elements and the state, wireEvents the listeners; each
// region then has its own function (the chips, the catalog in scope-catalog.js, the paste
// box, the report under it).

import * as api from '../api.js';
import { h, put } from './dom.js';
import { errorText } from './errors.js';
import { catalogList, filterCatalog } from './scope-catalog.js';

/** @import {ScopeInfo} from '../types.js' */
/** @import {Item} from './scope-catalog.js' */

/** @type {Promise<ScopeInfo[]>|undefined} */
let catalogPromise;
const catalog = () => (catalogPromise ??= api.scopeCatalog());

/**
 * @typedef {{id: string, labelledBy: string, describedBy: string, value: string, legacy: boolean, recommended: {scope: string, note: string}}} PickerOptions
 *   `recommended`: the connector's preset (its manifest's recommended scope and why)
 */

/**
 * One picker: its state (the chosen scopes, whether the catalog is open), which only the
 * functions below change, and the elements they fill in.
 * @typedef {object} Picker
 * @property {{selected: Set<string>, browsing: boolean}} state
 * @property {boolean} legacy
 * @property {(scope: string) => string} nameOf a scope's registration-page name
 * @property {Item[]} items the catalog's rows
 * @property {HTMLElement} el the whole picker, on which it reports a change
 * @property {HTMLUListElement} chips
 * @property {HTMLElement} noChips
 * @property {HTMLButtonElement|null} preset
 * @property {HTMLInputElement} search
 * @property {HTMLElement} list
 * @property {HTMLButtonElement} browse
 * @property {{input: HTMLTextAreaElement, apply: HTMLButtonElement, error: HTMLElement}} paste
 * @property {HTMLOutputElement} output
 * @property {HTMLElement} included
 * @property {HTMLElement} warning
 */

/**
 * @param {PickerOptions} opts
 * @returns {Promise<{el: HTMLElement, value: () => string, set: (scopes: string[]) => void}>}
 */
export async function createScopePicker(opts) {
  const picker = buildPicker(opts, await catalog());
  wireEvents(picker, opts.recommended.scope);
  await update(picker);
  // `set`: a whole new selection from outside (the registration's scopes, offered by an error).
  return { el: picker.el, value: () => current(picker), set: (scopes) => choose(picker, scopes) };
}

/**
 * The picker's elements, top to bottom, with `opts.value` chosen.
 * @param {PickerOptions} opts
 * @param {ScopeInfo[]} entries the catalog
 * @returns {Picker}
 */
function buildPicker({ id, labelledBy, describedBy, value, legacy, recommended }, entries) {
  const selected = new Set(value ? value.split(/\s+/).filter(Boolean) : []);
  const nameOf = (/** @type {string} */ scope) => entries.find((e) => e.scope === scope)?.name ?? scope;
  const chips = h('ul', { class: 'chips', id: `${id}-chips`, 'aria-label': 'Chosen scopes' });
  const noChips = h('p', { class: 'muted chips-none' }, 'No scopes chosen yet.');
  // A legacy registration's scopes are fixed when it is made: the form must say exactly those,
  // and a preset would only make the mismatch the check then refuses. Entra apps get it.
  const preset = legacy ? null : presetRow(id, recommended, nameOf(recommended.scope));
  const search = h('input', {
    type: 'search',
    id: `${id}-search`,
    'aria-label': 'Search scopes',
    placeholder: 'Search by name or scope, e.g. work items',
    autocomplete: 'off',
  });
  const { list, items } = catalogList(id, entries, selected);
  const browse = h(
    'button',
    { type: 'button', id: `${id}-browse`, 'aria-expanded': 'false', 'aria-controls': `${id}-list` },
    'Browse all scopes',
  );
  const paste = pasteBox(id);
  const output = h('output', { id: `${id}-value`, class: 'scope-value', 'aria-live': 'polite' });
  const included = h('p', { id: `${id}-included`, class: 'muted' });
  const warning = h('p', { id: `${id}-warning`, class: 'warning', role: 'status' });
  const el = h(
    'div',
    {
      class: 'scope-picker',
      role: 'group',
      'aria-labelledby': labelledBy,
      'aria-describedby': describedBy,
      id,
      'data-value-event': 'scopes-change',
    },
    chips,
    noChips,
    preset?.row,
    search,
    list,
    browse,
    paste.box,
    h('p', { class: 'scope-result' }, legacy ? 'Sent exactly as: ' : 'Scopes: ', output),
    included,
    warning,
  );
  const state = { selected, browsing: false };
  return {
    state,
    legacy,
    nameOf,
    items,
    el,
    chips,
    noChips,
    preset: preset?.button ?? null,
    search,
    list,
    browse,
    paste,
    output,
    included,
    warning,
  };
}

/**
 * The one-click recommended preset, and why it is the one.
 * @param {string} id
 * @param {{scope: string, note: string}} recommended
 * @param {string} name the scope's registration-page name
 */
function presetRow(id, recommended, name) {
  const button = h(
    'button',
    { type: 'button', id: `${id}-recommended`, 'aria-describedby': `${id}-recommended-note` },
    'Recommended for Azure DevOps',
  );
  const note = h('span', { class: 'muted', id: `${id}-recommended-note` }, `${name} (${recommended.scope}): ${recommended.note}`);
  return { row: h('p', { class: 'preset' }, button, ' ', note), button };
}

/**
 * The "paste scopes" box: a text area, its button, and where a word it did not know is said.
 * @param {string} id
 */
function pasteBox(id) {
  const input = h('textarea', { id: `${id}-paste`, rows: 3, 'aria-describedby': `${id}-paste-help ${id}-paste-error` });
  const apply = h('button', { type: 'button', id: `${id}-paste-apply` }, 'Use these scopes');
  const error = h('p', { id: `${id}-paste-error`, class: 'field-error', role: 'alert' });
  const box = h(
    'div',
    { class: 'paste' },
    h('label', { for: `${id}-paste`, class: 'paste-label' }, 'Or paste scopes'),
    h(
      'p',
      { id: `${id}-paste-help`, class: 'muted' },
      'Scope strings or registration-page names, separated by spaces, commas, semicolons or new lines. Entra-prefixed forms work too.',
    ),
    input,
    apply,
    error,
  );
  return { box, input, apply, error };
}

/**
 * The picker's listeners: a box ticked, the preset, Browse, the search box, and the paste box.
 * @param {Picker} p
 * @param {string} recommended the preset's scope
 */
function wireEvents(p, recommended) {
  for (const { box, e } of p.items) {
    box.addEventListener('change', () => {
      box.checked ? p.state.selected.add(e.scope) : p.state.selected.delete(e.scope);
      update(p);
      changed(p);
    });
  }
  p.preset?.addEventListener('click', () => choose(p, [recommended]));
  p.browse.addEventListener('click', () => toggleBrowse(p));
  p.search.addEventListener('input', () => filter(p));
  // Enter in a search box searches (the list already follows the typing): it must not submit
  // the form around it, which would save a Library entry half-chosen. Ctrl+Enter still does.
  p.search.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.ctrlKey && !e.metaKey) e.preventDefault();
  });
  p.paste.apply.addEventListener('click', () => applyPaste(p));
}

/** The chosen scopes as the value says them: sorted, space-separated. @param {Picker} p */
const current = (p) => [...p.state.selected].sort().join(' ');

/**
 * The selection becomes `scopes`: the boxes follow, then the chips, report and listeners.
 * @param {Picker} p
 * @param {string[]} scopes
 */
function choose(p, scopes) {
  p.state.selected.clear();
  for (const s of scopes) p.state.selected.add(s);
  for (const it of p.items) it.box.checked = p.state.selected.has(it.e.scope);
  update(p);
  changed(p);
}

/**
 * The selection changed (a box ticked, scopes pasted, the preset, a chip removed): the field's
 * error can go (errors.js listens for the event named in data-value-event), and the form has
 * unsaved work (app.js marks it on a bubbling change). Typing in the search box is no change.
 * @param {Picker} p
 */
function changed(p) {
  p.el.dispatchEvent(new Event('scopes-change'));
  p.el.dispatchEvent(new Event('change', { bubbles: true }));
}

/**
 * Everything that follows the selection: the value, the chips, the catalog, and the core's
 * report of what the choice already includes and what to beware of.
 * @param {Picker} p
 */
async function update(p) {
  p.output.textContent = current(p) || '(none)';
  renderChips(p);
  filter(p);
  try {
    const report = await api.scopeReport(current(p));
    p.included.textContent = report.included.length ? `Already included by your choice: ${report.included.join(', ')}.` : '';
    p.warning.textContent = report.warning ?? '';
    const inc = new Set(report.included);
    for (const it of p.items) it.note.textContent = !it.box.checked && inc.has(it.e.name) ? ' (included)' : '';
  } catch (err) {
    p.warning.textContent = errorText(err);
  }
}

/** The chosen scopes as chips, each with its remove button, or the line saying there are none. @param {Picker} p */
function renderChips(p) {
  const { selected } = p.state;
  put(
    p.chips,
    [...selected]
      .sort()
      .map((scope) =>
        h(
          'li',
          { class: 'chip' },
          p.nameOf(scope),
          ' ',
          h('code', {}, scope),
          h(
            'button',
            { type: 'button', class: 'chip-remove', 'aria-label': `Remove ${p.nameOf(scope)}`, onclick: () => remove(p, scope) },
            '\u00d7',
          ),
        ),
      ),
  );
  p.chips.hidden = selected.size === 0;
  p.noChips.hidden = selected.size !== 0;
}

/**
 * A chip's remove button: focus moves to the next chip's (or the search box), not to the page.
 * @param {Picker} p
 * @param {string} scope
 */
function remove(p, scope) {
  const chosen = [...p.state.selected].sort();
  const at = chosen.indexOf(scope);
  const rest = chosen.filter((s) => s !== scope);
  choose(p, rest);
  const buttons = p.chips.querySelectorAll('button');
  /** @type {HTMLElement} */ (buttons[Math.min(at, buttons.length - 1)] ?? p.search).focus();
}

/** @param {Picker} p */
function toggleBrowse(p) {
  p.state.browsing = !p.state.browsing;
  p.browse.setAttribute('aria-expanded', String(p.state.browsing));
  p.browse.textContent = p.state.browsing ? 'Hide the catalog' : 'Browse all scopes';
  filter(p);
}

/** Shows the rows the search matches, and the catalog at all only while searched or browsed. @param {Picker} p */
function filter(p) {
  const q = p.search.value.trim().toLowerCase();
  p.list.hidden = !q && !p.state.browsing;
  filterCatalog(p.items, q, p.legacy);
}

/** The pasted scopes become the selection, or the paste box says which word it did not know. @param {Picker} p */
async function applyPaste(p) {
  p.paste.error.replaceChildren();
  try {
    const report = await api.scopeReport(p.paste.input.value);
    choose(p, report.value.split(' ').filter(Boolean));
  } catch (err) {
    /** @type {{token: string, choices: string[]}|undefined} */
    const mean = err.did_you_mean;
    if (!mean) {
      p.paste.error.textContent = errorText(err);
      return;
    }
    // Each suggestion is a button that puts it in place of the unknown word and applies again.
    p.paste.error.append(
      // The message ends its sentence before the question (it came without a full stop).
      `${/[.!?)]$/.test(err.message) ? err.message : `${err.message}.`} Did you mean `,
      ...mean.choices.flatMap((/** @type {string} */ choice, /** @type {number} */ i) => [
        i ? ', ' : '',
        h('button', { type: 'button', class: 'link', 'data-choice': choice, onclick: () => replaceToken(p, mean.token, choice) }, choice),
      ]),
      '?',
    );
  }
}

/**
 * A suggestion taken: it replaces the unknown word in the paste box, which applies again.
 * @param {Picker} p
 * @param {string} token
 * @param {string} choice
 */
function replaceToken(p, token, choice) {
  p.paste.input.value = p.paste.input.value.replace(token, choice);
  applyPaste(p);
  p.paste.input.focus();
}
