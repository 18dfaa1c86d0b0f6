// @ts-check
// Connector Library: where a partner admin sets up each connector once
// (Shared app) or leaves it blank (Bring your own app). Rendered from the
// connector manifests, so a new connector needs no change here.

/** @import {AppState, ConnectorView, Manifest} from '../types.js' */

import * as api from '../api.js';
import { h, copyText, put } from '../components/dom.js';
import { errorText, showError } from '../components/errors.js';
import { needsKeychain } from '../components/keychain-gate.js';
import { copyInstallLink } from './install-link.js';
import { managedSecretForm } from './managed-secret.js';
import { renderMigrationGuide } from './migration-guide.js';
import { migrationPanel } from './migration-panel.js';
import { isFirstRun, roleChoice, setUpButtons } from './role-choice.js';

// The entry form and its scope picker, and the rotation form, load when first opened: the first
// screen needs none of them.
/** @type {typeof import('./library-form.js').renderEntryForm} */
const renderEntryForm = async (...args) => (await import('./library-form.js')).renderEntryForm(...args);
/** @type {typeof import('./rotate-secret.js').renderRotation} */
const renderRotation = (...args) => void import('./rotate-secret.js').then((v) => v.renderRotation(...args));

const MODE = {
  managed: {
    label: 'Managed by your organization',
    text: 'Deployed by a policy file: every install uses it, and it can\u2019t be changed or cleared here.',
  },
  shared: { label: 'Shared app', text: 'Set up here and used by every install.' },
  bring_your_own: { label: 'Bring your own app', text: 'Left blank: each user supplies their own app details and scopes at install.' },
};

/**
 * @param {HTMLElement} el
 * @param {AppState} state
 * @param {string} [flash] the outcome of what sent the user here
 * @param {string} [saved] the connector whose entry was just saved: offer to install it now
 */
export async function renderLibrary(el, state, flash, saved) {
  const status = h('p', { id: 'library-status', class: 'status', role: 'status', 'aria-live': 'polite' }, flash ?? '');
  const error = h('div', { id: 'library-error', class: 'error', role: 'alert', hidden: true });
  const list = h('ul', { class: 'cards', 'aria-label': 'Connectors' });
  const intro = h('p', { class: 'muted' }, 'Set up each connector once for everyone, or leave it blank so each user brings their own app.');
  // A saved entry's next step is an install: Installations opens its Install form (installations.js).
  const installNow = saved
    ? needsKeychain(
        h(
          'button',
          {
            type: 'button',
            class: 'primary',
            id: 'install-now',
            onclick: () => {
              state.installNext = saved;
              document.getElementById('tab-installations')?.click();
            },
          },
          'Install it now',
        ),
        state.keychain,
      )
    : null;
  put(el, h('h2', {}, 'Connector Library'), intro, status, installNow, error, list);
  installNow?.focus();
  let connectors;
  try {
    connectors = await api.libraryList();
  } catch (err) {
    showError(error, err);
    return;
  }
  // "Set up the Connector Library" on Installations sent the user here: straight to the form.
  const setUpNow = connectors.find((c) => c.manifest.id === state.setUpNext && c.mode !== 'managed');
  delete state.setUpNext;
  if (setUpNow) return renderEntryForm(el, state, setUpNow.manifest, setUpNow.entry, null, back);
  const firstRun = isFirstRun(connectors, state);
  if (firstRun) {
    // Asked here too: a first launch opens on this tab, and an end user must not start with an admin's form.
    const openForm = (/** @type {ConnectorView} */ c) => renderEntryForm(el, state, c.manifest, c.entry, null, back);
    intro.after(roleChoice('library', setUpButtons('library', connectors, openForm), installButtons(connectors)));
  } else if (connectors.every((c) => c.mode === 'bring_your_own')) {
    // Nothing set up, but something installed: someone connecting only their own Azure DevOps needs nothing here.
    intro.after(
      h(
        'p',
        { id: 'library-skip' },
        'Connecting only your own Azure DevOps? Nothing to set up here: ',
        h(
          'button',
          { type: 'button', class: 'link', onclick: () => document.getElementById('tab-installations')?.click() },
          'go to Installations',
        ),
        '.',
      ),
    );
  }
  for (const c of connectors) {
    const m = c.manifest;
    const mode = MODE[c.mode];
    const auth = c.entry && m.auth_types.find((a) => a.id === c.entry.auth_type);
    // What a partner puts in an onboarding mail: it opens this Install form (install-link.js).
    const copyLink = h(
      'button',
      { type: 'button', id: `copy-link-${m.id}`, onclick: () => copyInstallLink(c.install_link, status) },
      'Copy install link',
    );
    const card = h(
      'li',
      { class: 'card', 'data-connector': m.id },
      h('h3', {}, m.name),
      h('p', { class: 'muted' }, m.description),
      h('p', {}, h('span', { class: `badge mode-${c.mode}`, 'data-mode': c.mode }, mode.label), ' ', mode.text),
      auth ? h('p', { class: 'muted' }, `${auth.label} · Client ID `, h('span', { class: 'nowrap' }, c.entry.values.client_id)) : null,
      c.secret_warning ? h('p', { class: 'warning', id: `secret-warning-${m.id}` }, c.secret_warning) : null,
      c.alternate ? migrationPanel(c, back) : null,
      c.entry?.auth_type === 'legacy' && !c.alternate
        ? h(
            'div',
            { class: 'warning retiring', id: `retiring-${m.id}` },
            'Microsoft retires Azure DevOps OAuth apps in 2026: move this entry to Microsoft Entra ID before then.',
            h(
              'button',
              {
                type: 'button',
                id: `migrate-${m.id}`,
                onclick: () => renderMigrationGuide(el, { kind: 'library', connector: m.id }, 'Back to Connector Library', back),
              },
              'Move to Entra ID',
            ),
          )
        : null,
      c.mode === 'managed' && c.entry.auth_type === 'legacy' && !c.entry.has_secret
        ? managedSecretForm(m, state.keychain?.available !== false, back)
        : null,
      c.mode === 'managed'
        ? h(
            'div',
            { class: 'actions' },
            h('button', { type: 'button', id: `export-${m.id}`, onclick: () => exportEntry(m.id) }, 'Export'),
            copyLink,
          )
        : h(
            'div',
            { class: 'actions' },
            h(
              'button',
              // On a first run the role choice holds the primary actions.
              {
                type: 'button',
                class: firstRun ? null : 'primary',
                id: `edit-${m.id}`,
                onclick: () => renderEntryForm(el, state, m, c.entry, null, back),
              },
              c.entry ? 'Edit' : 'Set up',
            ),
            c.entry ? h('button', { type: 'button', id: `export-${m.id}`, onclick: () => exportEntry(m.id) }, 'Export') : null,
            // A legacy secret expires (60 days by default): the next one renews every installation first.
            c.entry?.auth_type === 'legacy' && c.entry.has_secret && !c.alternate
              ? h('button', { type: 'button', id: `rotate-${m.id}`, onclick: () => renderRotation(el, c, back) }, 'Rotate secret\u2026')
              : null,
            h('button', { type: 'button', id: `import-${m.id}`, onclick: () => importEntry(m) }, 'Import…'),
            copyLink,
          ),
    );
    list.append(card);
  }
  const exportBox = h('div', { id: 'export-box' });
  el.append(exportBox);

  /**
   * The role choice's Install buttons: Installations, opening that connector's Install form.
   * @param {ConnectorView[]} list
   */
  function installButtons(list) {
    return list.map((c) =>
      needsKeychain(
        h(
          'button',
          {
            type: 'button',
            class: 'primary',
            id: `library-install-${c.manifest.id}`,
            onclick: () => {
              state.installNext = c.manifest.id;
              document.getElementById('tab-installations')?.click();
            },
          },
          `Install ${c.manifest.name}`,
        ),
        state.keychain,
      ),
    );
  }

  /** @param {string} message @param {string} [saved] */
  function back(message, saved) {
    renderLibrary(el, state, message, saved);
  }

  /** @param {string} id the connector's */
  async function exportEntry(id) {
    try {
      const text = await api.libraryExport(id);
      const area = h('textarea', { id: 'export-text', rows: 10, readonly: true, 'aria-label': 'Exported entry (no secret)' });
      area.value = text;
      const copied = h('span', { role: 'status', id: 'export-result' });
      const saveFile = async () => {
        try {
          copied.textContent = ` Saved to ${await api.libraryExportFile(id)}`;
        } catch (err) {
          copied.textContent = ` ${errorText(err)}`;
        }
      };
      exportBox.replaceChildren(
        h('h3', {}, 'Exported entry'),
        h('p', { class: 'muted' }, 'Everything but the Client Secret. Import it on another machine, then enter the secret there.'),
        area,
        h(
          'div',
          { class: 'actions' },
          h('button', { type: 'button', id: 'export-save', onclick: saveFile }, 'Save as file'),
          h(
            'button',
            {
              type: 'button',
              id: 'export-copy',
              onclick: async () => {
                copied.textContent = (await copyText(text)) ? ' Copied.' : ' Select the text and copy it.';
              },
            },
            'Copy',
          ),
        ),
        copied,
      );
      area.focus();
    } catch (err) {
      showError(error, err);
    }
  }

  /** @param {Manifest} manifest */
  function importEntry(manifest) {
    const area = h('textarea', { id: 'import-text', rows: 8, 'aria-describedby': 'import-error' });
    const importError = h('p', { class: 'field-error', role: 'alert', id: 'import-error' });
    /** @param {string} text */
    const apply = async (text) => {
      try {
        const draft = await api.libraryImport(text);
        renderEntryForm(
          el,
          state,
          manifest,
          { auth_type: draft.auth_type, values: draft.values, has_secret: false },
          draft.needs_secret ? 'Imported. Enter the Client Secret, which is never exported, then Save.' : 'Imported. Review and Save.',
          back,
        );
      } catch (err) {
        importError.textContent = errorText(err);
      }
    };
    // A plain file input: the webview opens the OS file chooser, and the file is read here.
    const file = h('input', {
      type: 'file',
      id: 'import-file',
      accept: '.json,application/json',
      onchange: async (e) => {
        const f = e.target.files[0];
        if (f) apply(await f.text());
      },
    });
    exportBox.replaceChildren(
      h('h3', {}, 'Import an entry'),
      h('p', {}, h('label', { for: 'import-file' }, 'From a file: '), file),
      h('p', {}, h('label', { for: 'import-text' }, 'Or paste it:')),
      area,
      h('button', { type: 'button', id: 'import-apply', onclick: () => apply(area.value) }, 'Import'),
      importError,
    );
    file.focus();
  }
}
