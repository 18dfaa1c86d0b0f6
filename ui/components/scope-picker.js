// @ts-check
// The scope picker: the catalog grouped by category, searchable, with the
// registration-page name and the scope string side by side, high-privilege
// marks, what a chosen scope already includes, and a "paste scopes" box.
// It leads with the answer: the chosen scopes as chips, and (Entra) a one-click
// recommended preset, above the catalog.
// Plain checkboxes: Tab moves between them, Space toggles.

import * as api from '../api.js';
import { h, put } from './dom.js';
import { errorText } from './errors.js';

/** @import {ScopeInfo} from '../types.js' */

/** @type {Promise<ScopeInfo[]>|undefined} */
let catalogPromise;
const catalog = () => (catalogPromise ??= api.scopeCatalog());

/**
 * @param {{id: string, labelledBy: string, describedBy: string, value: string, legacy: boolean, recommended: {scope: string, note: string}}} opts
 *   `recommended`: the connector's preset (its manifest's recommended scope and why)
 * @returns {Promise<{el: HTMLElement, value: () => string, set: (scopes: string[]) => void}>}
 */
export async function createScopePicker({ id, labelledBy, describedBy, value, legacy, recommended }) {
  const entries = await catalog();
  const selected = new Set(value ? value.split(/\s+/).filter(Boolean) : []);

  const output = h('output', { id: `${id}-value`, class: 'scope-value', 'aria-live': 'polite' });
  const included = h('p', { id: `${id}-included`, class: 'muted' });
  const warning = h('p', { id: `${id}-warning`, class: 'warning', role: 'status' });
  const pasteError = h('p', { id: `${id}-paste-error`, class: 'field-error', role: 'alert' });
  const nameOf = (/** @type {string} */ scope) => entries.find((e) => e.scope === scope)?.name ?? scope;
  const chips = h('ul', { class: 'chips', id: `${id}-chips`, 'aria-label': 'Chosen scopes' });
  const noChips = h('p', { class: 'muted chips-none' }, 'No scopes chosen yet.');
  // A legacy registration's scopes are fixed when it is made: the form must say exactly those,
  // and a preset would only make the mismatch the check then refuses. Entra apps get it.
  const preset = legacy
    ? null
    : h(
        'p',
        { class: 'preset' },
        h(
          'button',
          { type: 'button', id: `${id}-recommended`, 'aria-describedby': `${id}-recommended-note`, onclick: usePreset },
          'Recommended for Azure DevOps',
        ),
        ' ',
        h(
          'span',
          { class: 'muted', id: `${id}-recommended-note` },
          `${nameOf(recommended.scope)} (${recommended.scope}): ${recommended.note}`,
        ),
      );
  const search = h('input', {
    type: 'search',
    id: `${id}-search`,
    'aria-label': 'Search scopes',
    placeholder: 'Search by name or scope, e.g. work items',
    autocomplete: 'off',
  });

  /** @type {{e: ScopeInfo, row: HTMLElement, box: HTMLInputElement, note: HTMLElement, fs: HTMLFieldSetElement}[]} */
  const items = [];
  /** @type {Map<string, ScopeInfo[]>} */
  const groups = new Map();
  for (const e of entries) {
    if (!groups.has(e.category)) groups.set(e.category, []);
    /** @type {ScopeInfo[]} */ (groups.get(e.category)).push(e);
  }
  // The catalog (over forty scopes) stays folded until searched or browsed: the chips and the
  // preset above answer most visits, and the page has no scroll box of its own.
  const list = h('div', { class: 'scope-list', id: `${id}-list`, hidden: true });
  let browsing = false;
  const browse = h(
    'button',
    { type: 'button', id: `${id}-browse`, 'aria-expanded': 'false', 'aria-controls': `${id}-list`, onclick: toggleBrowse },
    'Browse all scopes',
  );
  for (const [category, scopes] of groups) {
    const fs = h('fieldset', { class: 'scope-group' }, h('legend', {}, category));
    for (const e of scopes) {
      const box = h('input', {
        type: 'checkbox',
        id: `${id}-${e.scope}`,
        'data-scope': e.scope,
        'aria-describedby': `${id}-${e.scope}-desc`,
      });
      box.checked = selected.has(e.scope);
      box.addEventListener('change', () => {
        box.checked ? selected.add(e.scope) : selected.delete(e.scope);
        update();
        changed();
      });
      const note = h('span', { class: 'included-by muted' });
      const row = h(
        'div',
        { class: 'scope-item', 'data-scope': e.scope },
        box,
        h(
          'label',
          { for: `${id}-${e.scope}` },
          e.name,
          ' ',
          h('code', {}, e.scope),
          e.high_privilege ? h('span', { class: 'badge' }, 'High privilege') : null,
          e.retired ? h('span', { class: 'badge retired' }, 'Retired') : null,
        ),
        h('span', { id: `${id}-${e.scope}-desc`, class: 'desc' }, e.description),
        note,
      );
      items.push({ e, row, box, note, fs });
      fs.append(row);
    }
    list.append(fs);
  }

  const paste = h('textarea', { id: `${id}-paste`, rows: 3, 'aria-describedby': `${id}-paste-help ${id}-paste-error` });
  const pasteBox = h(
    'div',
    { class: 'paste' },
    h('label', { for: `${id}-paste`, class: 'paste-label' }, 'Or paste scopes'),
    h(
      'p',
      { id: `${id}-paste-help`, class: 'muted' },
      'Scope strings or registration-page names, separated by spaces, commas, semicolons or new lines. Entra-prefixed forms work too.',
    ),
    paste,
    h('button', { type: 'button', id: `${id}-paste-apply`, onclick: applyPaste }, 'Use these scopes'),
    pasteError,
  );

  /** The selection becomes `scopes`: the boxes follow, then the chips, report and listeners. */
  function choose(/** @type {string[]} */ scopes) {
    selected.clear();
    for (const s of scopes) selected.add(s);
    for (const it of items) it.box.checked = selected.has(it.e.scope);
    update();
    changed();
  }

  function usePreset() {
    choose([recommended.scope]);
  }

  /** A chip's remove button: focus moves to the next chip's (or the search box), not to the page. */
  function remove(/** @type {string} */ scope) {
    const at = [...selected].sort().indexOf(scope);
    choose([...selected].filter((s) => s !== scope));
    const buttons = chips.querySelectorAll('button');
    /** @type {HTMLElement} */ (buttons[Math.min(at, buttons.length - 1)] ?? search).focus();
  }

  function renderChips() {
    put(
      chips,
      [...selected]
        .sort()
        .map((scope) =>
          h(
            'li',
            { class: 'chip' },
            nameOf(scope),
            ' ',
            h('code', {}, scope),
            h(
              'button',
              { type: 'button', class: 'chip-remove', 'aria-label': `Remove ${nameOf(scope)}`, onclick: () => remove(scope) },
              '\u00d7',
            ),
          ),
        ),
    );
    chips.hidden = selected.size === 0;
    noChips.hidden = selected.size !== 0;
  }

  async function applyPaste() {
    pasteError.replaceChildren();
    try {
      const report = await api.scopeReport(paste.value);
      choose(report.value.split(' ').filter(Boolean));
    } catch (err) {
      /** @type {{token: string, choices: string[]}|undefined} */
      const mean = err.did_you_mean;
      if (!mean) {
        pasteError.textContent = errorText(err);
        return;
      }
      // Each suggestion is a button that puts it in place of the unknown word and applies again.
      pasteError.append(
        // The message ends its sentence before the question (it came without a full stop).
        `${/[.!?)]$/.test(err.message) ? err.message : `${err.message}.`} Did you mean `,
        ...mean.choices.flatMap((/** @type {string} */ choice, /** @type {number} */ i) => [
          i ? ', ' : '',
          h('button', { type: 'button', class: 'link', 'data-choice': choice, onclick: () => replaceToken(mean.token, choice) }, choice),
        ]),
        '?',
      );
    }
  }

  /** @param {string} token @param {string} choice */
  function replaceToken(token, choice) {
    paste.value = paste.value.replace(token, choice);
    applyPaste();
    paste.focus();
  }

  function toggleBrowse() {
    browsing = !browsing;
    browse.setAttribute('aria-expanded', String(browsing));
    browse.textContent = browsing ? 'Hide the catalog' : 'Browse all scopes';
    filter();
  }

  function filter() {
    const q = search.value.trim().toLowerCase();
    list.hidden = !q && !browsing;
    for (const it of items) {
      const match = !q || it.e.scope.includes(q) || it.e.name.toLowerCase().includes(q) || it.e.category.toLowerCase().includes(q);
      // Retired scopes are never offered, only kept when already selected.
      // Entra-only permissions are never offered to a legacy app (the core refuses them too).
      it.row.hidden = !match || ((it.e.retired || (legacy && it.e.entra_only)) && !it.box.checked);
    }
    for (const fs of new Set(items.map((i) => i.fs)))
      fs.hidden = [.../** @type {NodeListOf<HTMLElement>} */ (fs.querySelectorAll('.scope-item'))].every((r) => r.hidden);
  }

  const current = () => [...selected].sort().join(' ');

  // The selection changed (a box ticked, scopes pasted, the preset, a chip removed): the field's
  // error can go (errors.js listens for the event named in data-value-event), and the form has
  // unsaved work (app.js marks it on a bubbling change). Typing in the search box is no change.
  const changed = () => {
    el.dispatchEvent(new Event('scopes-change'));
    el.dispatchEvent(new Event('change', { bubbles: true }));
  };

  async function update() {
    output.textContent = current() || '(none)';
    renderChips();
    filter();
    try {
      const report = await api.scopeReport(current());
      included.textContent = report.included.length ? `Already included by your choice: ${report.included.join(', ')}.` : '';
      warning.textContent = report.warning ?? '';
      const inc = new Set(report.included);
      for (const it of items) it.note.textContent = !it.box.checked && inc.has(it.e.name) ? ' (included)' : '';
    } catch (err) {
      warning.textContent = errorText(err);
    }
  }
  search.addEventListener('input', filter);
  // Enter in a search box searches (the list already follows the typing): it must not submit
  // the form around it, which would save a Library entry half-chosen. Ctrl+Enter still does.
  search.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.ctrlKey && !e.metaKey) e.preventDefault();
  });

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
    preset,
    search,
    list,
    browse,
    pasteBox,
    h('p', { class: 'scope-result' }, legacy ? 'Sent exactly as: ' : 'Scopes: ', output),
    included,
    warning,
  );
  await update();
  // `set`: a whole new selection from outside (the registration's scopes, offered by an error).
  return { el, value: current, set: choose };
}
