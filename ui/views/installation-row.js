// One row of the Installations table, and the in-place update of its live cells.

import { h } from '../components/dom.js';

export const when = (secs) => (secs ? new Date(secs * 1000).toLocaleString() : '\u2014');

const LABEL = { connected: 'Connected', refreshing: 'Refreshing\u2026', needs_reauth: 'Needs re-auth', error: 'Error' };

export function statusCell(status) {
  const detail =
    status.state === 'needs_reauth'
      ? status.reason
      : status.state === 'error'
        ? `${status.reason} Retrying at ${new Date(status.retry_at * 1000).toLocaleTimeString()}.`
        : '';
  return [
    h('span', { class: `state state-${status.state}`, 'data-status': status.state }, LABEL[status.state] ?? status.state),
    detail ? h('div', { class: 'muted status-detail' }, detail) : null,
  ];
}

/** Updates a row's status, expiry and last refresh, if the row is on screen. */
export function updateRow(body, id, status, expires, refreshed) {
  const row = body.querySelector(`tr[data-installation="${CSS.escape(id)}"]`);
  if (!row) return;
  row.querySelector('[data-cell=status]').replaceChildren(...statusCell(status).filter(Boolean));
  row.querySelector('[data-cell=expires]').textContent = when(expires);
  row.querySelector('[data-cell=refreshed]').textContent = when(refreshed);
}

/**
 * @param {object} i an InstallationView
 * @param {object|undefined} c its connector
 * @param {{methods: Function, test: Function, reauth: Function, uninstall: Function}} on
 */
export function installationRow(i, c, on) {
  const auth = c?.manifest.auth_types.find((a) => a.id === i.auth_type);
  const testBtn = h('button', { type: 'button', 'data-action': 'test', onclick: () => on.test(i, testBtn) }, 'Test connection');
  return h(
    'tr',
    { 'data-installation': i.id },
    h(
      'th',
      { scope: 'row' },
      h('span', { class: 'org' }, i.organization),
      ' / ',
      h('span', { class: 'project' }, i.project),
      h('div', { class: 'muted' }, `${i.user.display_name} <${i.user.email}>`),
    ),
    h(
      'td',
      {},
      auth?.label.replace(/ \(.*\)$/, '') ?? i.auth_type,
      h('div', { class: 'muted' }, i.source === 'shared' ? 'Shared app' : 'Own app'),
      h(
        'div',
        { class: 'muted methods', 'data-cell': 'methods' },
        i.methods_unavailable.length ? `Scopes don't allow: ${i.methods_unavailable.join(', ')}` : 'Every connector method is allowed',
      ),
    ),
    h('td', { 'data-cell': 'status' }, statusCell(i.status)),
    h('td', { 'data-cell': 'expires' }, when(i.access_expires_at)),
    h('td', { 'data-cell': 'refreshed' }, when(i.last_refreshed_at)),
    h(
      'td',
      { class: 'row-actions' },
      h('button', { type: 'button', 'data-action': 'methods', onclick: () => on.methods(i) }, 'Methods'),
      testBtn,
      h('button', { type: 'button', 'data-action': 'reauth', onclick: () => on.reauth(i) }, 'Re-authenticate'),
      h('button', { type: 'button', class: 'danger', 'data-action': 'uninstall', onclick: () => on.uninstall(i) }, 'Uninstall'),
    ),
  );
}
