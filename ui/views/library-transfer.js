// @ts-check
// A Library entry to and from another machine, in one dialog: Export shows the entry
// (everything but the Client Secret) to copy or save as a file; Import reads one, from a file
// or pasted, into the entry form, to review and Save. A managed entry is only exported, and
// before anything is set up there is only Import.

/** @import {ConnectorView} from '../types.js' */
/** @import {LibraryView} from './library.js' */

import * as api from '../api.js';
import { h, copyText } from '../components/dom.js';
import { errorText } from '../components/errors.js';
import { renderEntryForm } from './library-on-demand.js';

/**
 * Opens the dialog; it closes by its Close button or Escape, and the keyboard goes back to
 * the button that opened it.
 * @param {LibraryView} view
 * @param {ConnectorView} c
 * @param {HTMLElement} opener
 */
export function openTransfer(view, c, opener) {
  /** @type {HTMLDialogElement} */
  const dlg = h(
    'dialog',
    { class: 'confirm transfer', id: 'transfer-dialog', 'aria-labelledby': 'transfer-title' },
    h('h2', { id: 'transfer-title' }, `Export or import ${c.manifest.name}`),
  );
  const close = h('button', { type: 'button', id: 'transfer-close', onclick: () => dlg.close() }, 'Close');
  if (c.entry) dlg.append(exportPart(c.manifest.id));
  if (c.mode !== 'managed') dlg.append(importPart(view, c, () => dlg.close()));
  dlg.append(h('div', { class: 'actions' }, close));
  dlg.addEventListener('close', () => {
    dlg.remove();
    if (opener.isConnected) opener.focus();
  });
  document.body.append(dlg);
  dlg.showModal();
  /** @type {HTMLElement} */ (dlg.querySelector('#export-text, #import-file')).focus();
}

/**
 * The entry as text, read once the dialog is open, with Save as file and Copy.
 * @param {string} id the connector's
 */
function exportPart(id) {
  const area = h('textarea', { id: 'export-text', rows: 6, readonly: true, 'aria-label': 'Exported entry (no secret)' });
  const said = h('p', { role: 'status', id: 'export-result' });
  /** @param {() => Promise<string>} act */
  const run = async (act) => {
    try {
      said.textContent = await act();
    } catch (err) {
      said.textContent = errorText(err);
    }
  };
  const text = api.libraryExport(id);
  run(async () => {
    area.value = await text;
    return '';
  });
  const saveFile = () => run(async () => `Saved to ${await api.libraryExportFile(id)}`);
  const copy = () => run(async () => ((await copyText(await text)) ? 'Copied.' : 'Select the text and copy it.'));
  return h(
    'section',
    { 'aria-labelledby': 'export-title' },
    h('h3', { id: 'export-title' }, 'Export'),
    h('p', { class: 'muted' }, 'Everything but the Client Secret. Import it on another machine, then enter the secret there.'),
    area,
    h(
      'div',
      { class: 'actions' },
      h('button', { type: 'button', id: 'export-save', onclick: saveFile }, 'Save as file'),
      h('button', { type: 'button', id: 'export-copy', onclick: copy }, 'Copy'),
    ),
    said,
  );
}

/**
 * An entry from a file or pasted: into the entry form, to review and Save.
 * @param {LibraryView} view
 * @param {ConnectorView} c
 * @param {() => void} close
 */
function importPart(view, c, close) {
  const area = h('textarea', { id: 'import-text', rows: 4, 'aria-describedby': 'import-error' });
  const importError = h('p', { class: 'field-error', role: 'alert', id: 'import-error' });
  /** @param {string} text */
  const apply = async (text) => {
    try {
      const draft = await api.libraryImport(text);
      close();
      renderEntryForm(
        view.el,
        view.state,
        c.manifest,
        { auth_type: draft.auth_type, values: draft.values, has_secret: false },
        draft.needs_secret ? 'Imported. Enter the Client Secret, which is never exported, then Save.' : 'Imported. Review and Save.',
        view.back,
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
  return h(
    'section',
    { 'aria-labelledby': 'import-title' },
    h('h3', { id: 'import-title' }, 'Import'),
    h('p', {}, h('label', { for: 'import-file' }, 'From a file: '), file),
    h('p', {}, h('label', { for: 'import-text' }, 'Or paste it:')),
    area,
    h('div', { class: 'actions' }, h('button', { type: 'button', id: 'import-apply', onclick: () => apply(area.value) }, 'Import')),
    importError,
  );
}
