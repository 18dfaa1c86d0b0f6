// @ts-check
// One row of the Installations table, and the in-place update of its live cells.
// Below about 1000 px wide the stylesheet stacks each row as a card (who,
// status, details, actions), so the list never scrolls sideways.

import { h } from '../components/dom.js';
import { actionMenu } from '../components/menu.js';
import { relativeTime } from '../components/relative-time.js';

/** @import {ConnectorView, InstallationView, Status} from '../types.js' */

/** @type {Record<string, string>} */
const LABEL = { connected: 'Connected', refreshing: 'Refreshing\u2026', needs_reauth: 'Needs re-auth', error: 'Error' };

/** @param {Status} status */
export function statusCell(status) {
  const detail =
    status.state === 'needs_reauth'
      ? status.reason
      : status.state === 'error'
        ? `${status.reason} Retrying at ${new Date(status.retry_at * 1000).toLocaleTimeString()}.`
        : '';
  return [
    h('span', { class: `state state-${status.state}`, 'data-status': status.state }, LABEL[status.state] ?? status.state),
    // The reason can be a long Microsoft message: one clamped line here (it used to
    // stretch the column to many lines), the whole of it under Details.
    detail ? h('div', { class: 'muted status-detail' }, detail) : null,
    detail ? h('details', { class: 'status-more' }, h('summary', {}, 'Details'), h('p', {}, detail)) : null,
  ];
}

/**
 * A row that needs re-auth shows Re-authenticate as its primary button, the one thing to do;
 * any other row keeps it behind "⋯", so its buttons stay two (Methods and ⋯).
 * @param {ParentNode} row
 * @param {Status} status
 */
function markReauth(row, status) {
  const needed = status.state === 'needs_reauth';
  for (const b of row.querySelectorAll('button[data-action=reauth]')) {
    const button = /** @type {HTMLButtonElement} */ (b);
    button.hidden = (button.dataset.place === 'row') !== needed;
  }
}

/**
 * Updates a row's status, expiry and last refresh, if the row is on screen.
 * @param {ParentNode} body
 * @param {string} id the installation's
 * @param {Status} status
 * @param {number} expires Unix seconds
 * @param {number|null} refreshed Unix seconds
 */
export function updateRow(body, id, status, expires, refreshed) {
  const row = body.querySelector(`tr[data-installation="${CSS.escape(id)}"]`);
  if (!row) return;
  // Every row has these cells (installationRow).
  /** @type {Element} */ (row.querySelector('[data-cell=status]')).replaceChildren(
    .../** @type {HTMLElement[]} */ (statusCell(status).filter(Boolean)),
  );
  /** @type {Element} */ (row.querySelector('[data-cell=expires]')).replaceChildren(relativeTime(expires, 'expires'));
  /** @type {Element} */ (row.querySelector('[data-cell=refreshed]')).replaceChildren(relativeTime(refreshed, 'past'));
  markReauth(row, status);
}

/**
 * What a row's actions do, from the Installations view.
 * @typedef {{
 *   methods: (i: InstallationView) => unknown,
 *   test: (i: InstallationView, button: HTMLButtonElement) => unknown,
 *   reauth: (i: InstallationView) => unknown,
 *   migrate: (i: InstallationView) => unknown,
 *   uninstall: (i: InstallationView) => unknown,
 * }} RowActions
 */

/**
 * @param {InstallationView} i
 * @param {ConnectorView|undefined} c its connector
 * @param {RowActions} on
 */
export function installationRow(i, c, on) {
  // Cells carry data-label: when rows are stacked the column headings are hidden and
  // the stylesheet shows the label before the value. The explicit roles keep the table's
  // meaning for screen readers once CSS no longer displays it as a table.
  const row = h(
    'tr',
    { 'data-installation': i.id, role: 'row' },
    h(
      'th',
      { scope: 'row', role: 'rowheader' },
      h('span', { class: 'org' }, i.organization),
      ' / ',
      h('span', { class: 'project' }, i.project),
      h('div', { class: 'muted' }, `${i.user.display_name} <${i.user.email}>`),
    ),
    h('td', { 'data-cell': 'status', 'data-label': 'Status', role: 'cell' }, statusCell(i.status)),
    authCell(i, c, on),
    h('td', { 'data-cell': 'expires', 'data-label': 'Access token expires', role: 'cell' }, relativeTime(i.access_expires_at, 'expires')),
    h('td', { 'data-cell': 'refreshed', 'data-label': 'Last refreshed', role: 'cell' }, relativeTime(i.last_refreshed_at, 'past')),
    actionsCell(i, on),
  );
  markReauth(row, i.status);
  return row;
}

/**
 * The Auth cell: the kind of sign-in, whose app, what its scopes allow, and the move to Entra ID.
 * @param {InstallationView} i
 * @param {ConnectorView|undefined} c
 * @param {RowActions} on
 */
function authCell(i, c, on) {
  const auth = c?.manifest.auth_types.find((a) => a.id === i.auth_type);
  // A policy-managed library entry is shown as the organization's app, as in the Library. A shared
  // app cleared from the Library is gone: the row says so, and offers no move of an app it no longer has.
  const cleared = i.source === 'shared' && c?.mode === 'bring_your_own';
  const source =
    i.source !== 'shared'
      ? 'Own app'
      : c?.mode === 'managed'
        ? 'Your organization\u2019s app'
        : cleared
          ? 'Shared app, cleared from the Library'
          : 'Shared app';
  return h(
    'td',
    { 'data-label': 'Auth', role: 'cell' },
    auth?.label.replace(/ \(.*\)$/, '') ?? i.auth_type,
    h('div', { class: 'muted' }, source),
    h(
      'div',
      { class: 'muted methods', 'data-cell': 'methods' },
      i.methods_unavailable.length ? `Scopes don't allow: ${i.methods_unavailable.join(', ')}` : 'Every connector method is allowed',
    ),
    i.secret_warning ? h('div', { class: 'warning secret-warning' }, i.secret_warning) : null,
    retiring(i, c, cleared, on),
  );
}

/**
 * Legacy sign-ins stop when Microsoft retires the flow in 2026. Once the organization's
 * Library entry is on Entra ID, moving is a re-authentication.
 * @param {InstallationView} i
 * @param {ConnectorView|undefined} c
 * @param {boolean} cleared its shared app was cleared from the Library
 * @param {RowActions} on
 */
function retiring(i, c, cleared, on) {
  if (i.auth_type === 'legacy' && i.source === 'shared' && c?.entry?.auth_type === 'entra') {
    return h(
      'div',
      { class: 'warning retiring' },
      c?.mode === 'managed' ? 'Move required by your organization.' : 'Your organization moved to Entra ID.',
      h('button', { type: 'button', class: 'link', 'data-action': 'move', onclick: () => on.reauth(i) }, 'Re-authenticate with Entra'),
    );
  }
  if (i.auth_type !== 'legacy' || cleared) return null;
  return h(
    'div',
    { class: 'warning retiring' },
    'Retires in 2026.',
    h('button', { type: 'button', class: 'link', 'data-action': 'migrate', onclick: () => on.migrate(i) }, 'Move to Entra ID'),
  );
}

/**
 * Methods, and Re-authenticate when the row needs it; the occasional actions wait behind "⋯"
 * (Re-authenticate too, while it isn't needed), so a row's buttons fit on one line even in
 * the table's narrow actions column. Test connection answers under them.
 * @param {InstallationView} i
 * @param {RowActions} on
 */
function actionsCell(i, on) {
  /** @type {HTMLButtonElement} */
  const testBtn = h('button', { type: 'button', 'data-action': 'test', onclick: () => on.test(i, testBtn) }, 'Test connection');
  // One Re-authenticate in the row and one in the menu; markReauth shows the one that applies.
  const reauth = (/** @type {'row'|'menu'} */ place) =>
    h(
      'button',
      {
        type: 'button',
        class: place === 'row' ? 'primary' : null,
        'data-action': 'reauth',
        'data-place': place,
        onclick: () => on.reauth(i),
      },
      'Re-authenticate',
    );
  return h(
    'td',
    { class: 'row-actions', role: 'cell' },
    h('button', { type: 'button', 'data-action': 'methods', onclick: () => on.methods(i) }, 'Methods'),
    reauth('row'),
    actionMenu(`More actions for ${i.organization} / ${i.project}`, [
      testBtn,
      reauth('menu'),
      h('button', { type: 'button', class: 'danger', 'data-action': 'uninstall', onclick: () => on.uninstall(i) }, 'Uninstall'),
    ]),
    h('p', { 'data-cell': 'test-result', class: 'test-result', role: 'status', 'aria-live': 'polite' }),
  );
}
