// @ts-check
// Which app an install signs in with, as the details step shows it: the user's own app's
// fields (a new install with no Library app, or the Entra app an own installation moves
// to), or one line naming the app already decided (own again, shared, or managed).

import { h } from '../components/dom.js';
import { createAppFields } from '../components/app-fields.js';

/** @import {AppState, AuthOption, CommandError, ConnectorView, EntryDraft, InstallationView, Manifest} from '../types.js' */

/**
 * @param {{state: AppState, connector: ConnectorView, reauth: InstallationView|null, toEntra: boolean, onError: (err: CommandError) => void}} install
 * @returns {Promise<{box: HTMLElement, appFields: Awaited<ReturnType<typeof createAppFields>>|null}>}
 */
export async function installApp({ state, connector, reauth, toEntra, onError }) {
  const manifest = connector.manifest;
  /**
   * The user's own app's fields under a heading and a note.
   * @param {EntryDraft|null} entry what the fields start with
   * @param {string} title
   * @param {string} noteId
   * @param {string} note
   */
  async function ownAppSection(entry, title, noteId, note) {
    // A move to Entra ID offers only Entra: a legacy choice there would undo the move.
    const offered = toEntra ? { ...manifest, auth_types: manifest.auth_types.filter((a) => a.id === 'entra') } : manifest;
    const appFields = await createAppFields({ manifest: offered, entry, keychainOk: state.keychain?.available !== false, onError });
    const box = h(
      'section',
      { 'aria-labelledby': 'own-app-title' },
      h('h3', { id: 'own-app-title' }, title),
      h('p', { class: 'muted', id: noteId }, note),
      appFields.el,
    );
    return { box, appFields };
  }
  if (reauth?.source === 'own' && toEntra) {
    // The move keeps the installation: only its app changes, to the Entra one the guide described.
    return ownAppSection(
      { auth_type: 'entra', values: { scopes: reauth.scopes }, has_secret: false },
      'Your Entra app',
      'move-note',
      'Enter the Application (client) ID of the app you registered in Microsoft Entra ID. This installation keeps its organization, project and history; the legacy app stays in use unless the sign-in succeeds.',
    );
  }
  if (reauth?.source === 'own') {
    // An installation made with its own app has that app's values.
    const clientId = /** @type {Record<string, string>} */ (reauth.own_app).client_id;
    const box = h(
      'p',
      { id: 'own-app-reauth', class: 'shared-app' },
      'Uses your own app again: Client ID ',
      clientId,
      '. Its Client Secret is in the keychain.',
    );
    return { box, appFields: null };
  }
  // A library entry set up here (shared) or deployed by policy (managed) is the app every
  // install uses: the core takes it and ignores an own app, so none is asked for.
  const entry = connector.entry;
  if ((connector.mode === 'shared' || connector.mode === 'managed') && entry) {
    return { box: libraryAppLine(connector.manifest, entry, connector.mode === 'managed'), appFields: null };
  }
  return ownAppSection(
    null,
    'Your app',
    'own-app-note',
    'The Connector Library has no shared app for this connector, so enter your own app\u2019s details and the scopes it was registered with.',
  );
}

/**
 * The Library's app in one line: the organization's (managed) or the shared one.
 * @param {Manifest} manifest
 * @param {NonNullable<ConnectorView['entry']>} entry
 * @param {boolean} managed
 */
function libraryAppLine(manifest, entry, managed) {
  const auth = /** @type {AuthOption} */ (manifest.auth_types.find((a) => a.id === entry.auth_type));
  const clientId = entry.values.client_id;
  if (managed) {
    return h(
      'p',
      { id: 'shared-app', class: 'shared-app', 'data-mode': 'managed' },
      'Uses your organization\u2019s app, Client ID ',
      h('span', { class: 'nowrap' }, clientId),
      ' · ',
      h('strong', {}, auth.label),
      // The same condition as the Connector Library's secret form for a managed entry.
      entry.auth_type === 'legacy' && !entry.has_secret
        ? '. Its Client Secret is not on this machine yet: enter it once in the Connector Library.'
        : null,
    );
  }
  return h(
    'p',
    { id: 'shared-app', class: 'shared-app', 'data-mode': 'shared' },
    'Uses the shared app from the Connector Library: ',
    h('strong', {}, auth.label),
    ' · Client ID ',
    h('span', { class: 'nowrap' }, clientId),
  );
}
