// @ts-check
// A Library entry to and from another machine: Export shows it (everything but the Client
// Secret) to copy or save as a file; Import reads one, from a file or pasted, into the
// entry form, to review and Save.

/** @import {Manifest} from '../types.js' */
/** @import {LibraryView} from './library.js' */

import * as api from '../api.js';
import { h, copyText } from '../components/dom.js';
import { errorText, showError } from '../components/errors.js';
import { renderEntryForm } from './library-on-demand.js';

/**
 * @param {LibraryView} view
 * @param {string} id the connector's
 */
export async function exportEntry(view, id) {
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
    view.exportBox.replaceChildren(
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
    showError(view.error, err);
  }
}

/**
 * @param {LibraryView} view
 * @param {Manifest} manifest
 */
export function importEntry(view, manifest) {
  const area = h('textarea', { id: 'import-text', rows: 8, 'aria-describedby': 'import-error' });
  const importError = h('p', { class: 'field-error', role: 'alert', id: 'import-error' });
  /** @param {string} text */
  const apply = async (text) => {
    try {
      const draft = await api.libraryImport(text);
      renderEntryForm(
        view.el,
        view.state,
        manifest,
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
  view.exportBox.replaceChildren(
    h('h3', {}, 'Import an entry'),
    h('p', {}, h('label', { for: 'import-file' }, 'From a file: '), file),
    h('p', {}, h('label', { for: 'import-text' }, 'Or paste it:')),
    area,
    h('button', { type: 'button', id: 'import-apply', onclick: () => apply(area.value) }, 'Import'),
    importError,
  );
  file.focus();
}
