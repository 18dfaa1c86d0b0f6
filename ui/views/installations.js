// Installations: each installed connector with its live status, token expiry
// and last refresh, and the actions Test connection, Re-authenticate, Uninstall.

import * as api from '../api.js';
import { h, confirmDialog } from '../components/dom.js';
import { fieldErrorText, showError } from '../components/errors.js';
import { renderInstallForm } from './install-form.js';
import { renderMethods } from './methods.js';

const when = (secs) => (secs ? new Date(secs * 1000).toLocaleString() : '\u2014');

const LABEL = { connected: 'Connected', refreshing: 'Refreshing\u2026', needs_reauth: 'Needs re-auth', error: 'Error' };

function statusCell(status) {
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

let unlisten = [];

/** How long a sign-in waits for Microsoft; kept in the settings file. */
async function timeoutSetting() {
  const minutes = Math.round((await api.signInTimeoutGet()) / 60);
  const input = h('input', {
    type: 'number',
    id: 'field-sign_in_timeout',
    min: 1,
    max: 60,
    value: minutes,
    'aria-describedby': 'field-sign_in_timeout-error',
    class: 'narrow',
  });
  const note = h('span', { id: 'field-sign_in_timeout-error', role: 'status' });
  const save = async () => {
    try {
      await api.signInTimeoutSet(Number(input.value));
      note.textContent = ' Saved.';
    } catch (err) {
      note.textContent = ` ${fieldErrorText(err)}`;
    }
  };
  return h(
    'details',
    { class: 'settings' },
    h('summary', {}, 'Sign-in settings'),
    h(
      'p',
      {},
      h('label', { for: 'field-sign_in_timeout' }, 'A sign-in waits up to '),
      input,
      ' minutes for Microsoft\u2019s answer. ',
      h('button', { type: 'button', id: 'sign-in-timeout-save', onclick: save }, 'Save'),
      note,
    ),
  );
}

export async function renderInstallations(el, state, flash) {
  const status = h('p', { id: 'installations-status', class: 'status', role: 'status', 'aria-live': 'polite' }, flash ?? '');
  const error = h('div', { id: 'installations-error', class: 'error', role: 'alert', hidden: true });
  const actions = h('div', { class: 'actions' });
  const body = h('div', { id: 'installations-list' });
  el.replaceChildren(h('h2', {}, 'Installations'), status, error, actions, body);
  let connectors, installs;
  try {
    [connectors, installs] = await Promise.all([api.libraryList(), api.installationsList()]);
  } catch (err) {
    showError(error, err);
    return;
  }
  const back = (message) => renderInstallations(el, state, message);
  for (const c of connectors) {
    actions.append(
      h(
        'button',
        { type: 'button', class: 'primary', id: `install-${c.manifest.id}`, onclick: () => renderInstallForm(el, state, c, null, back) },
        `Install ${c.manifest.name}`,
      ),
    );
  }
  el.append(await timeoutSetting());
  if (installs.length === 0) {
    body.append(h('p', { class: 'empty' }, 'Nothing is installed yet.'));
    return;
  }

  async function test(i, button) {
    error.hidden = true;
    button.disabled = true;
    status.textContent = `Testing ${i.organization} / ${i.project}\u2026`;
    try {
      status.textContent = await api.installationTest(i.id);
    } catch (err) {
      status.textContent = '';
      showError(error, err);
    }
    button.disabled = false;
  }

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

  const rows = installs.map((i) => {
    const c = connectors.find((x) => x.manifest.id === i.connector);
    const auth = c?.manifest.auth_types.find((a) => a.id === i.auth_type);
    const testBtn = h('button', { type: 'button', 'data-action': 'test', onclick: () => test(i, testBtn) }, 'Test connection');
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
        h('button', { type: 'button', 'data-action': 'methods', onclick: () => renderMethods(el, i, c, back) }, 'Methods'),
        testBtn,
        h(
          'button',
          { type: 'button', 'data-action': 'reauth', onclick: () => renderInstallForm(el, state, c, i, back) },
          'Re-authenticate',
        ),
        h('button', { type: 'button', class: 'danger', 'data-action': 'uninstall', onclick: () => uninstall(i) }, 'Uninstall'),
      ),
    );
  });
  body.append(
    h(
      'table',
      { class: 'installations' },
      h('caption', { class: 'muted' }, 'Each installation, its status and its token. Status updates live.'),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ['Organization / Project', 'Auth', 'Status', 'Access token expires', 'Last refreshed', 'Actions'].map((t) =>
            h('th', { scope: 'col' }, t),
          ),
        ),
      ),
      h('tbody', {}, rows),
    ),
  );

  // Live status: the core pushes every change; update the row in place.
  const update = (id, status, expires, refreshed) => {
    const row = body.querySelector(`tr[data-installation="${CSS.escape(id)}"]`);
    if (!row) return;
    row.querySelector('[data-cell=status]').replaceChildren(...statusCell(status).filter(Boolean));
    row.querySelector('[data-cell=expires]').textContent = when(expires);
    row.querySelector('[data-cell=refreshed]').textContent = when(refreshed);
  };
  for (const stop of unlisten) stop();
  unlisten = [
    await api.onInstallationStatus((e) => update(e.installation, e.status, e.access_expires_at, e.last_refreshed_at)),
    // Events were missed in a burst: re-read every status rather than show stale ones.
    await api.onInstallationsResync(async () => {
      for (const i of await api.installationsList()) update(i.id, i.status, i.access_expires_at, i.last_refreshed_at);
    }),
  ];
}
