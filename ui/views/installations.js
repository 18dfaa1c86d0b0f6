// @ts-check
// Installations: each installed connector with its live status, token expiry
// and last refresh, and the actions Test connection, Re-authenticate, Uninstall.
//
// In parts: the page's frame, the Install buttons, Save diagnostics and each row's actions
// here; the list itself (search, filter, pages, the table) in installations-list.js.

/** @import {AppState, ConnectorView, Installation, InstallationView, PageQuery} from '../types.js' */

import * as api from '../api.js';
import { h, confirmDialog, copyText, put } from '../components/dom.js';
import { errorText, showError } from '../components/errors.js';
import { renderInstallForm } from './install-form.js';
import { renderMethods } from './methods.js';
import { renderMigrationGuide } from './migration-guide.js';
import { updateRow } from './installation-row.js';
import { needsKeychain } from '../components/keychain-gate.js';
import { connectedPanel } from './orientation.js';
import { signInSettings } from './sign-in-settings.js';
import { createList, loadPage, PAGE, wireList } from './installations-list.js';
import { expiredSecretNotices } from './reauth-all.js';

/** @import {List, ListContext, Query} from './installations-list.js' */

// The live status subscription outlives a render of the view: the next render stops it.
/** @type {(() => void)[]} */
let unlisten = [];

/**
 * What the view's parts share: where it is drawn, and the way back to a fresh list.
 * @typedef {object} View
 * @property {HTMLElement} el
 * @property {AppState} state
 * @property {ConnectorView[]} connectors
 * @property {HTMLElement} error
 * @property {(message: string, installation?: Installation) => void} back
 */

/**
 * @param {HTMLElement} el
 * @param {AppState} state
 * @param {string} [flash] the outcome of what sent the user here
 * @param {Installation} [connected] the installation a sign-in just made: shown as Install's last step
 * @param {string} [changed] the id of an installation just re-authenticated: its row is marked
 */
export async function renderInstallations(el, state, flash, connected, changed) {
  // Done puts the keyboard on the list, which is what it leads back to.
  const page = frame(el, flash, connected, () => list.search.focus());
  // Benchmarks read this mark and 'installations-view-rendered' (the page's own clock).
  performance.mark('installations-view-start');
  // A page at a time, however many there are: search and filter run in the core.
  /** @type {Query} */
  const query = { offset: 0, limit: PAGE, search: '', status: null };
  // The view's three start-up calls go out together; each is awaited where it is used.
  const firstPage = api.installationsList(/** @type {PageQuery} */ ({ ...query })); // status is null yet
  const settings = signInSettings();
  /** @type {ConnectorView[]} */
  let connectors;
  try {
    connectors = await api.libraryList();
  } catch (err) {
    showError(page.error, err);
    return;
  }
  /** @type {View} */
  const view = {
    el,
    state,
    connectors,
    error: page.error,
    back: (message, installation) => renderInstallations(el, state, message, installation),
  };
  const installButtons = installButtonsFor(view);
  // The end of an install has one next step, Done: another Install waits in the toolbar, not as a primary.
  if (page.done) for (const b of installButtons) b.classList.remove('primary');
  page.actions.append(diagnosticsButton(page.status, page.error));
  el.append(await settings);
  /** @type {ListContext} */
  const context = {
    app: state,
    connectors,
    installButtons,
    on: rowActions(view),
    setUp: (c) => setUp(state, c),
    body: page.body,
    actions: page.actions,
    error: page.error,
  };
  const list = createList(context, query, changed);
  page.toolbar.prepend(list.tools);
  wireList(list);
  await loadPage(list, firstPage);
  performance.mark('installations-view-rendered');
  // A shared app's expired secret: one notice above the list, with Re-authenticate all.
  const walk = { el, state, connectors, done: (/** @type {string} */ summary) => renderInstallations(el, state, summary) };
  page.toolbar.before(...(await expiredSecretNotices(walk)));
  // "Install it now" after a Library save sent the user here: open that Install form.
  // A click, so a button the keychain gate disabled opens nothing.
  const installNow = installButtons.find((b) => b.id === `install-${state.installNext}`);
  delete state.installNext;
  installNow?.click();
  await listen(list);
}

/**
 * The page's frame: the Connected step (after an install), the status line, the error, one
 * toolbar row (search and filter once there is something to search, then the buttons) and
 * the list's box.
 * @param {HTMLElement} el
 * @param {string|undefined} flash
 * @param {Installation|undefined} connected
 * @param {() => void} onDone
 */
function frame(el, flash, connected, onDone) {
  // A new installation's panel says what happened ("Connected to …"): no second, generic line.
  const status = h(
    'p',
    { id: 'installations-status', class: 'status', role: 'status', 'aria-live': 'polite' },
    connected ? '' : (flash ?? ''),
  );
  const error = h('div', { id: 'installations-error', class: 'error', role: 'alert', hidden: true });
  const actions = h('div', { class: 'toolbar-actions' });
  const toolbar = h('div', { class: 'list-toolbar' }, actions);
  const body = h('div', { id: 'installations-list' });
  const done = connected ? connectedPanel(connected, onDone) : null;
  put(el, h('h2', { id: 'installations-heading', tabindex: -1 }, 'Installations'), done, status, error, toolbar, body);
  if (done) {
    // The Install form may have been scrolled down to Sign In; the end of it is at the top.
    window.scrollTo(0, 0);
    done.querySelector('button')?.focus({ preventScroll: true });
  }
  return { status, error, actions, toolbar, body, done };
}

/**
 * One Install button per connector: in the toolbar once something is installed; until then
 * in the empty state, where they are the next action.
 * @param {View} view
 */
function installButtonsFor(view) {
  return view.connectors.map((c) =>
    needsKeychain(
      h(
        'button',
        {
          type: 'button',
          class: 'primary',
          id: `install-${c.manifest.id}`,
          onclick: () => renderInstallForm(view.el, view.state, c, null, view.back),
        },
        `Install ${c.manifest.name}`,
      ),
      view.state.keychain,
    ),
  );
}

/**
 * Save diagnostics, saying where the file went, with Show in folder and Copy path.
 * @param {HTMLElement} status
 * @param {HTMLElement} error
 */
function diagnosticsButton(status, error) {
  const diagnostics = h('button', { type: 'button', id: 'save-diagnostics' }, 'Save diagnostics');
  diagnostics.addEventListener('click', async () => {
    diagnostics.disabled = true;
    try {
      const path = await api.diagnosticsSave();
      const copied = h('span', { id: 'diagnostics-copied' });
      status.replaceChildren(
        `Diagnostics saved to ${path} (secrets, tokens, emails and ids removed). `,
        h(
          'button',
          {
            type: 'button',
            class: 'link',
            id: 'diagnostics-show',
            onclick: () => api.diagnosticsShowFolder().catch((err) => showError(error, err)),
          },
          'Show in folder',
        ),
        ' \u00b7 ',
        h(
          'button',
          {
            type: 'button',
            class: 'link',
            id: 'diagnostics-copy',
            onclick: async () => {
              copied.textContent = (await copyText(path)) ? ' Copied.' : ' Select the path and copy it.';
            },
          },
          'Copy path',
        ),
        copied,
      );
    } catch (err) {
      showError(error, err);
    }
    diagnostics.disabled = false;
  });
  return diagnostics;
}

/**
 * Each row's actions. An installation's connector is always in the list: the manifests ship
 * with the app.
 * @param {View} view
 * @returns {ListContext['on']}
 */
function rowActions(view) {
  const { el, state, back } = view;
  const connector = (/** @type {InstallationView} */ i) =>
    /** @type {ConnectorView} */ (view.connectors.find((x) => x.manifest.id === i.connector));
  return {
    methods: (i) => renderMethods(el, i, connector(i), back),
    test: (i, button) => testConnection(i, button, view.error),
    reauth: (i) => renderInstallForm(el, state, connector(i), i, afterReauth(view, i)),
    uninstall: (i) => uninstall(i, view),
    // A shared app moves with its Library entry; an own app with this installation.
    migrate: (i) =>
      i.source === 'shared'
        ? renderMigrationGuide(el, { kind: 'library', connector: i.connector }, 'Back to installations', back)
        : renderMigrationGuide(
            el,
            { kind: 'installation', id: i.id },
            'Back to installations',
            back,
            () => renderInstallForm(el, state, connector(i), i, afterReauth(view, i), true),
            `${i.organization} / ${i.project}`,
          ),
  };
}

/**
 * After a re-authentication (or a move to Entra ID) signed in: say which, on the list, with
 * the row marked where it was. It is no new installation, so no Connected step.
 * @param {View} view
 * @param {InstallationView} before
 * @returns {View['back']}
 */
function afterReauth(view, before) {
  return (message, installation) => {
    if (!installation) return view.back(message);
    const which = `${installation.organization} / ${installation.project}`;
    const said =
      before.auth_type === 'legacy' && installation.auth_type === 'entra'
        ? `Moved ${which} to Entra ID.`
        : `Re-authenticated ${which} as ${installation.user.display_name}.`;
    renderInstallations(view.el, view.state, said, undefined, installation.id);
  };
}

/**
 * Test connection: the answer shows in the row it is about (announced from there), not at
 * the top of the page.
 * @param {InstallationView} i
 * @param {HTMLButtonElement} button
 * @param {HTMLElement} error
 */
async function testConnection(i, button, error) {
  error.hidden = true;
  button.disabled = true;
  const result = /** @type {HTMLElement} */ (button.closest('tr')?.querySelector('[data-cell=test-result]'));
  result.className = 'test-result muted';
  result.textContent = 'Testing\u2026';
  try {
    result.textContent = await api.installationTest(i.id);
    result.className = 'test-result ok';
  } catch (err) {
    result.textContent = errorText(err);
    result.className = 'test-result field-error';
  }
  button.disabled = false;
}

/**
 * @param {InstallationView} i
 * @param {View} view
 */
async function uninstall(i, view) {
  const ok = await confirmDialog(
    `Uninstall ${i.organization} / ${i.project}?`,
    'Its tokens are removed from the keychain and the connector stops working for this project. You can install it again later.',
    'Uninstall',
  );
  if (!ok) return;
  // Where the keyboard goes once the row is gone: the row that was under it, else the one above.
  const row = view.el.querySelector(`tr[data-installation="${CSS.escape(i.id)}"]`);
  const next = /** @type {HTMLElement|null} */ (row?.nextElementSibling ?? row?.previousElementSibling ?? null);
  try {
    await api.installationUninstall(i.id);
    await renderInstallations(view.el, view.state, `Uninstalled ${i.organization} / ${i.project}.`);
  } catch (err) {
    showError(view.error, err);
    return;
  }
  const id = next?.dataset.installation;
  const action = id ? view.el.querySelector(`tr[data-installation="${CSS.escape(id)}"] [data-action=methods]`) : null;
  /** @type {HTMLElement|null} */ (action ?? view.el.querySelector('#installations-heading'))?.focus();
}

/**
 * "Set up the Connector Library": the Library tab, straight into that connector's form.
 * @param {AppState} state
 * @param {ConnectorView} c
 */
function setUp(state, c) {
  state.setUpNext = c.manifest.id;
  document.getElementById('tab-library')?.click();
}

/**
 * Live status: the core pushes every change; rows on screen update in place.
 * @param {List} list
 */
async function listen(list) {
  for (const stop of unlisten) stop();
  unlisten = [
    await api.onInstallationStatus((e) => updateRow(list.body, e.installation, e.status, e.access_expires_at, e.last_refreshed_at)),
    // Events were missed in a burst, or another process changed something: re-read this page.
    await api.onInstallationsResync(() => loadPage(list)),
  ];
}
