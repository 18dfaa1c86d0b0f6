// @ts-check
// The library entry form for one connector: the app's details, then Save /
// Back / Clear (Bring your own app).

import * as api from '../api.js';
import { confirmDialog, escapePresses, formBar, h, put } from '../components/dom.js';
import { createAppFields } from '../components/app-fields.js';
import { leaveForm } from '../components/drafts.js';
import { clearFieldErrors, showError, showFieldErrors } from '../components/errors.js';

/** @import {AppState, EntryDraft, Manifest} from '../types.js' */

/**
 * The form's parts, which Save and Clear update; what it holds is the DOM's own state (what
 * is typed, and the form's data-dirty mark).
 * @typedef {object} EntryForm
 * @property {HTMLElement} el the view's box
 * @property {Manifest} manifest
 * @property {(message: string, saved?: string) => void} back
 * @property {Awaited<ReturnType<typeof createAppFields>>} fields
 * @property {HTMLElement} formError
 * @property {HTMLUListElement} warnings
 * @property {HTMLButtonElement} saveButton
 * @property {HTMLButtonElement} backButton
 * @property {HTMLButtonElement} done
 * @property {HTMLFormElement} form
 */

/**
 * @param {HTMLElement} el
 * @param {AppState} state
 * @param {Manifest} manifest
 * @param {EntryDraft|null} entry the saved entry, an imported one, or null to set one up
 * @param {string|null} notice said above the form (an import's outcome)
 * @param {(message: string, saved?: string) => void} back to the Library; `saved` names a connector just saved
 */
export async function renderEntryForm(el, state, manifest, entry, notice, back) {
  const formError = h('div', { id: 'form-error', class: 'error', role: 'alert', hidden: true });
  const fields = await createAppFields({
    manifest,
    entry,
    keychainOk: state.keychain?.available !== false,
    onError: (err) => showError(formError, err),
  });
  const view = entryForm(el, manifest, entry, fields, formError, back);
  put(
    el,
    // Save and Back beside the title: the form below (app, secret, scopes) is long.
    formBar(`${manifest.name}: library entry`, view.saveButton, view.backButton, view.done),
    notice ? h('p', { class: 'status', role: 'status', id: 'form-notice' }, notice) : null,
    formError,
    view.warnings,
    view.form,
  );
  // An imported entry is not saved yet: leaving the tab would lose it, as it would typing.
  if (notice) view.form.dataset.dirty = '';
  escapePresses(el, () => view.backButton);
  fields.focus();
}

/**
 * The form's elements and their listeners: Save, Back and Done for the bar, the warnings,
 * and the form with the app's fields and (a saved entry) Clear.
 * @param {HTMLElement} el
 * @param {Manifest} manifest
 * @param {EntryDraft|null} entry
 * @param {EntryForm['fields']} fields
 * @param {HTMLElement} formError
 * @param {EntryForm['back']} back
 * @returns {EntryForm}
 */
function entryForm(el, manifest, entry, fields, formError, back) {
  const saveButton = h(
    'button',
    {
      type: 'submit',
      class: 'primary',
      id: 'save-entry',
      form: 'entry-form',
      title: 'Save (Ctrl+Enter)',
      'aria-keyshortcuts': 'Control+Enter',
    },
    'Save',
  );
  // Back (and Escape, which presses it) asks before throwing away what was typed here.
  const backButton = h('button', { type: 'button', id: 'cancel-entry', onclick: () => leaveForm(el, () => back('')) }, 'Back');
  const done = h('button', { type: 'button', id: 'form-done', hidden: true, onclick: () => back('Saved.', manifest.id) }, 'Done');
  const clearButton = entry?.updated_at
    ? h('button', { type: 'button', class: 'danger', id: 'clear-entry' }, 'Clear (Bring your own app)')
    : null;
  const form = h('form', { id: 'entry-form', novalidate: true }, fields.el, clearButton && h('div', { class: 'actions' }, clearButton));
  const warnings = h('ul', { id: 'form-warnings', class: 'warnings', 'aria-live': 'polite' });
  /** @type {EntryForm} */
  const view = { el, manifest, back, fields, formError, warnings, saveButton, backButton, done, form };
  form.addEventListener('submit', (event) => save(view, event));
  form.addEventListener('keydown', (event) => saveShortcut(view, event));
  clearButton?.addEventListener('click', () => clear(view));
  return view;
}

/**
 * Saves the entry: back to the Library, or (saved with warnings) the warnings on top and Done.
 * @param {EntryForm} view
 * @param {Event} event
 */
async function save(view, event) {
  const { el, manifest, fields, formError, warnings, saveButton, backButton, done } = view;
  event.preventDefault();
  formError.hidden = true;
  warnings.replaceChildren();
  done.hidden = true;
  backButton.hidden = false;
  clearFieldErrors(el);
  saveButton.disabled = true;
  saveButton.textContent = 'Saving…';
  try {
    const out = await api.librarySave({ connector: manifest.id, ...fields.collect() });
    fields.clearSecret();
    if (out.warnings.length === 0) {
      view.back(`Saved. Every install of ${manifest.name} will use this app.`, manifest.id);
      return;
    }
    // Saved, but the admin should read these before leaving: at the top, in view, and Done
    // in Back's place (what Back would ask about is saved), so two buttons, not three.
    warnings.replaceChildren(h('li', {}, h('strong', {}, 'Saved, with warnings:')), ...out.warnings.map((w) => h('li', {}, w)));
    done.hidden = false;
    backButton.hidden = true;
    warnings.scrollIntoView({ block: 'nearest' });
    done.focus({ preventScroll: true });
    // Saved: nothing left to lose by switching tabs (app.js asks only about dirty forms).
    delete view.form.dataset.dirty;
  } catch (err) {
    showError(formError, err);
    showFieldErrors(el, err);
  }
  saveButton.disabled = false;
  saveButton.textContent = 'Save';
}

/**
 * Clears the entry after a dialog that says what depends on the shared app.
 * @param {EntryForm} view
 */
async function clear(view) {
  const { manifest } = view;
  let using = 0;
  try {
    using = (await api.libraryList()).find((c) => c.manifest.id === manifest.id)?.installations_using ?? 0;
  } catch {
    // The dialog still warns in general terms.
  }
  const ok = await confirmDialog(
    'Clear this entry?',
    `${manifest.name} becomes "Bring your own app": every user will supply their own app details and scopes at install. The stored Client Secret is removed from the keychain. ${dependents(using)}`,
    'Clear entry',
  );
  if (!ok) return;
  try {
    await api.libraryClear(manifest.id);
    view.back(`${manifest.name} is now Bring your own app.`);
  } catch (err) {
    showError(view.formError, err);
  }
}

/**
 * What clearing does to the installations signed in with the shared app.
 * @param {number} using how many there are
 */
function dependents(using) {
  if (using === 0) return 'No installation uses it yet.';
  const one = using === 1;
  return `${one ? '1 installation signed in' : `${using} installations signed in`} with this app: ${one ? 'it stops' : 'they stop'} refreshing and ${one ? 'needs' : 'need'} Re-authenticate with the user\u2019s own app.`;
}

/**
 * Ctrl+Enter (Cmd+Enter on a Mac) saves from anywhere in the form, also from the boxes
 * where a plain Enter does not (the scope search and paste boxes).
 * @param {EntryForm} view
 * @param {KeyboardEvent} e
 */
function saveShortcut(view, e) {
  if (e.key !== 'Enter' || !(e.ctrlKey || e.metaKey)) return;
  e.preventDefault();
  if (!view.saveButton.disabled) view.form.requestSubmit(view.saveButton);
}
