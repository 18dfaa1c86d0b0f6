// Installations: the connectors an end user has installed and signed in.

import * as api from '../api.js';
import { h, showError } from '../components/dom.js';
import { renderInstallForm } from './install-form.js';

const when = (secs) => (secs ? new Date(secs * 1000).toLocaleString() : '—');

function statusOf(i) {
  if (i.needs_reauth) return { key: 'needs_reauth', label: 'Needs re-auth', detail: i.needs_reauth };
  return { key: 'connected', label: 'Connected', detail: '' };
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
    actions.append(h('button', { type: 'button', class: 'primary', id: `install-${c.manifest.id}`,
      onclick: () => renderInstallForm(el, state, c, null, back) }, `Install ${c.manifest.name}`));
  }
  if (installs.length === 0) {
    body.append(h('p', { class: 'empty' }, 'Nothing is installed yet.'));
    return;
  }
  const rows = installs.map((i) => {
    const st = statusOf(i);
    const c = connectors.find((x) => x.manifest.id === i.connector);
    const auth = c?.manifest.auth_types.find((a) => a.id === i.auth_type);
    return h('tr', { 'data-installation': i.id },
      h('th', { scope: 'row' }, h('span', { class: 'org' }, i.organization), ' / ', h('span', { class: 'project' }, i.project),
        h('div', { class: 'muted' }, `${i.user.display_name} <${i.user.email}>`)),
      h('td', {}, auth?.label.replace(/ \(.*\)$/, '') ?? i.auth_type, h('div', { class: 'muted' }, i.source === 'shared' ? 'Shared app' : 'Own app')),
      h('td', {}, h('span', { class: `state state-${st.key}`, 'data-status': st.key }, st.label), st.detail ? h('div', { class: 'muted' }, st.detail) : null),
      h('td', {}, when(i.access_expires_at)),
      h('td', {}, when(i.last_refreshed_at)));
  });
  body.append(h('table', { class: 'installations' },
    h('caption', { class: 'muted' }, 'Each installation, its status and its token'),
    h('thead', {}, h('tr', {}, ['Organization / Project', 'Auth', 'Status', 'Access token expires', 'Last refreshed'].map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', {}, rows)));
}
