// @ts-check
// The scope picker's catalog: every scope in a fieldset per category, a checkbox each with
// both its names, its marks and what it is for; and which rows a search shows.

import { h } from './dom.js';

/** @import {ScopeInfo} from '../types.js' */

/**
 * One catalog row: its scope, the row, its checkbox, its "(included)" note, its category's fieldset.
 * @typedef {{e: ScopeInfo, row: HTMLElement, box: HTMLInputElement, note: HTMLElement, fs: HTMLFieldSetElement}} Item
 */

/**
 * The catalog, a fieldset per category, with the `selected` scopes ticked.
 * @param {string} id
 * @param {ScopeInfo[]} entries
 * @param {Set<string>} selected
 * @returns {{list: HTMLElement, items: Item[]}}
 */
export function catalogList(id, entries, selected) {
  /** @type {Map<string, ScopeInfo[]>} */
  const groups = new Map();
  for (const e of entries) {
    if (!groups.has(e.category)) groups.set(e.category, []);
    /** @type {ScopeInfo[]} */ (groups.get(e.category)).push(e);
  }
  // The catalog (over forty scopes) stays folded until searched or browsed: the chips and the
  // preset above answer most visits, and the page has no scroll box of its own.
  const list = h('div', { class: 'scope-list', id: `${id}-list`, hidden: true });
  /** @type {Item[]} */
  const items = [];
  for (const [category, scopes] of groups) {
    const fs = h('fieldset', { class: 'scope-group' }, h('legend', {}, category));
    for (const e of scopes) {
      const item = scopeRow(id, e, fs);
      item.box.checked = selected.has(e.scope);
      items.push(item);
      fs.append(item.row);
    }
    list.append(fs);
  }
  return { list, items };
}

/**
 * One scope's row: its checkbox, both its names, its marks, and what it is for.
 * @param {string} id
 * @param {ScopeInfo} e
 * @param {HTMLFieldSetElement} fs its category's fieldset
 * @returns {Item}
 */
function scopeRow(id, e, fs) {
  const box = h('input', { type: 'checkbox', id: `${id}-${e.scope}`, 'data-scope': e.scope, 'aria-describedby': `${id}-${e.scope}-desc` });
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
  return { e, row, box, note, fs };
}

/**
 * Shows the rows that match `q` (lower case; empty matches all), and hides a category with none.
 * @param {Item[]} items
 * @param {string} q
 * @param {boolean} legacy the app is a legacy registration
 */
export function filterCatalog(items, q, legacy) {
  for (const it of items) {
    const match = !q || it.e.scope.includes(q) || it.e.name.toLowerCase().includes(q) || it.e.category.toLowerCase().includes(q);
    // Retired scopes are never offered, only kept when already selected.
    // Entra-only permissions are never offered to a legacy app (the core refuses them too), nor
    // to an Entra app the scopes Microsoft marks "no longer public" (the core warns of them).
    const notForThisApp = legacy ? it.e.entra_only : it.e.not_public;
    it.row.hidden = !match || ((it.e.retired || notForThisApp) && !it.box.checked);
  }
  for (const fs of new Set(items.map((i) => i.fs))) fs.hidden = items.every((i) => i.fs !== fs || i.row.hidden);
}
