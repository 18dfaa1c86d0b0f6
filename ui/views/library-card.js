// @ts-check
// One connector's card in the Library: what it is, how it is set up (managed, shared or
// blank) and with which app, the warnings and the move to Entra ID, and its actions.

/** @import {ConnectorView} from '../types.js' */
/** @import {LibraryView} from './library.js' */

import { h } from '../components/dom.js';
import { copyInstallLink } from './install-link.js';
import { managedSecretForm } from './managed-secret.js';
import { renderMigrationGuide } from './migration-guide.js';
import { migrationPanel } from './migration-panel.js';
import { renderEntryForm, renderRotation } from './library-on-demand.js';
import { openTransfer } from './library-transfer.js';

const MODE = {
  managed: {
    label: 'Managed by your organization',
    text: 'Deployed by a policy file: every install uses it, and it can\u2019t be changed or cleared here.',
  },
  shared: { label: 'Shared app', text: 'Set up here and used by every install.' },
  bring_your_own: { label: 'Bring your own app', text: 'Left blank: each user supplies their own app details and scopes at install.' },
};

/**
 * @param {LibraryView} view
 * @param {ConnectorView} c
 */
export function connectorCard(view, c) {
  const m = c.manifest;
  const mode = MODE[c.mode];
  const auth = c.entry && m.auth_types.find((a) => a.id === c.entry.auth_type);
  return h(
    'li',
    { class: 'card', 'data-connector': m.id },
    h('h3', {}, m.name),
    h('p', { class: 'muted' }, m.description),
    h('p', {}, h('span', { class: `badge mode-${c.mode}`, 'data-mode': c.mode }, mode.label), ' ', mode.text),
    auth ? h('p', { class: 'muted' }, `${auth.label} · Client ID `, h('span', { class: 'nowrap' }, c.entry.values.client_id)) : null,
    c.learned_audience ? h('p', { class: 'muted', id: `learned-audience-${m.id}` }, c.learned_audience) : null,
    c.secret_warning ? h('p', { class: 'warning', id: `secret-warning-${m.id}` }, c.secret_warning) : null,
    c.alternate ? migrationPanel(c, view.back) : null,
    c.entry?.auth_type === 'legacy' && !c.alternate ? retiring(view, c) : null,
    c.mode === 'managed' && c.entry.auth_type === 'legacy' && !c.entry.has_secret
      ? managedSecretForm(m, view.state.keychain?.available !== false, view.back)
      : null,
    c.mode === 'managed' ? managedActions(view, c) : actions(view, c),
  );
}

/**
 * A legacy entry not yet moving: Microsoft retires it, and the guide to move it.
 * @param {LibraryView} view
 * @param {ConnectorView} c
 */
function retiring({ el, back }, c) {
  const id = c.manifest.id;
  return h(
    'div',
    { class: 'warning retiring', id: `retiring-${id}` },
    'Microsoft retires Azure DevOps OAuth apps in 2026: move this entry to Microsoft Entra ID before then.',
    h(
      'button',
      {
        type: 'button',
        id: `migrate-${id}`,
        onclick: () => renderMigrationGuide(el, { kind: 'library', connector: id }, 'Back to Connector Library', back),
      },
      'Move to Entra ID',
    ),
  );
}

/**
 * What a partner puts in an onboarding mail: it opens this Install form (install-link.js).
 * @param {LibraryView} view
 * @param {ConnectorView} c
 */
function copyLinkButton(view, c) {
  return h(
    'button',
    { type: 'button', id: `copy-link-${c.manifest.id}`, onclick: () => copyInstallLink(c.install_link, view.status) },
    'Copy install link',
  );
}

/**
 * A managed entry's actions: it can be exported, never changed here.
 * @param {LibraryView} view
 * @param {ConnectorView} c
 */
function managedActions(view, c) {
  return h('div', { class: 'actions' }, transferButton(view, c, 'Export\u2026'), copyLinkButton(view, c));
}

/**
 * Export and Import, one dialog (library-transfer.js) named for what it offers this entry.
 * @param {LibraryView} view
 * @param {ConnectorView} c
 * @param {string} label
 */
function transferButton(view, c, label) {
  return h(
    'button',
    {
      type: 'button',
      id: `transfer-${c.manifest.id}`,
      'aria-haspopup': 'dialog',
      onclick: (/** @type {MouseEvent} */ e) => openTransfer(view, c, /** @type {HTMLElement} */ (e.currentTarget)),
    },
    label,
  );
}

/**
 * Set up (or Edit), Export or import, Rotate secret and Copy install link.
 * @param {LibraryView} view
 * @param {ConnectorView} c
 */
function actions(view, c) {
  const { el, state, back } = view;
  const m = c.manifest;
  return h(
    'div',
    { class: 'actions' },
    h(
      'button',
      // On a first run the role choice holds the primary actions.
      {
        type: 'button',
        class: view.firstRun ? null : 'primary',
        id: `edit-${m.id}`,
        onclick: () => renderEntryForm(el, state, m, c.entry, null, back),
      },
      c.entry ? 'Edit' : 'Set up',
    ),
    transferButton(view, c, c.entry ? 'Export or import\u2026' : 'Import\u2026'),
    // A legacy secret expires (60 days by default): the next one renews every installation first.
    c.entry?.auth_type === 'legacy' && c.entry.has_secret && !c.alternate
      ? h('button', { type: 'button', id: `rotate-${m.id}`, onclick: () => renderRotation(el, c, back) }, 'Rotate secret\u2026')
      : null,
    copyLinkButton(view, c),
  );
}
