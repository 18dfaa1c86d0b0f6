// The scope picker: the catalog grouped by category, searchable, with the
// registration-page name and the scope string side by side, high-privilege
// marks, what a chosen scope already includes, and a "paste scopes" box.
// Plain checkboxes: Tab moves between them, Space toggles.

import * as api from '../api.js';
import { h } from './dom.js';
import { errorText } from './errors.js';

let catalogPromise;
const catalog = () => (catalogPromise ??= api.scopeCatalog());

/**
 * @param {{id: string, labelledBy: string, describedBy: string, value: string, legacy: boolean}} opts
 * @returns {Promise<{el: HTMLElement, value: () => string}>}
 */
export async function createScopePicker({ id, labelledBy, describedBy, value, legacy }) {
  const entries = await catalog();
  const selected = new Set(value ? value.split(/\s+/).filter(Boolean) : []);

  const output = h('output', { id: `${id}-value`, class: 'scope-value', 'aria-live': 'polite' });
  const included = h('p', { id: `${id}-included`, class: 'muted' });
  const warning = h('p', { id: `${id}-warning`, class: 'warning', role: 'status' });
  const pasteError = h('p', { id: `${id}-paste-error`, class: 'field-error', role: 'alert' });
  const search = h('input', {
    type: 'search',
    id: `${id}-search`,
    'aria-label': 'Search scopes',
    placeholder: 'Search by name or scope, e.g. work items',
    autocomplete: 'off',
  });

  const items = [];
  const groups = new Map();
  for (const e of entries) {
    if (!groups.has(e.category)) groups.set(e.category, []);
    groups.get(e.category).push(e);
  }
  const list = h('div', { class: 'scope-list' });
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

  async function applyPaste() {
    pasteError.textContent = '';
    try {
      const report = await api.scopeReport(paste.value);
      selected.clear();
      for (const s of report.value.split(' ').filter(Boolean)) selected.add(s);
      for (const it of items) it.box.checked = selected.has(it.e.scope);
      update();
      changed();
    } catch (err) {
      pasteError.textContent = errorText(err);
    }
  }

  function filter() {
    const q = search.value.trim().toLowerCase();
    for (const it of items) {
      const match = !q || it.e.scope.includes(q) || it.e.name.toLowerCase().includes(q) || it.e.category.toLowerCase().includes(q);
      // Retired scopes are never offered, only kept when already selected.
      // Entra-only permissions are never offered to a legacy app (the core refuses them too).
      it.row.hidden = !match || ((it.e.retired || (legacy && it.e.entra_only)) && !it.box.checked);
    }
    for (const fs of new Set(items.map((i) => i.fs))) fs.hidden = [...fs.querySelectorAll('.scope-item')].every((r) => r.hidden);
  }

  const current = () => [...selected].sort().join(' ');

  // The selection changed (a box ticked, or scopes pasted): the field's error can go
  // (errors.js listens for the event named in data-value-event). Typing in the search box is no change.
  const changed = () => el.dispatchEvent(new Event('scopes-change'));

  async function update() {
    output.textContent = current() || '(none)';
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
    search,
    list,
    pasteBox,
    h('p', { class: 'scope-result' }, legacy ? 'Sent exactly as: ' : 'Scopes: ', output),
    included,
    warning,
  );
  await update();
  return { el, value: current };
}
