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
 * @param {HTMLElement} el
 * @param {AppState} state
 * @param {Manifest} manifest
 * @param {EntryDraft|null} entry the saved entry, an imported one, or null to set one up
 * @param {string|null} notice said above the form (an import's outcome)
 * @param {(message: string, saved?: string) => void} back to the Library; `saved` names a connector just saved
 */
export async function renderEntryForm(el, state, manifest, entry, notice, back) {
  const formError = h('div', { id: 'form-error', class: 'error', role: 'alert', hidden: true });
  const warnings = h('ul', { id: 'form-warnings', class: 'warnings', 'aria-live': 'polite' });
  const fields = await createAppFields({
    manifest,
    entry,
    keychainOk: state.keychain?.available !== false,
    onError: (err) => showError(formError, err),
  });

  /** @param {Event} event */
  async function save(event) {
    event.preventDefault();
    formError.hidden = true;
    warnings.replaceChildren();
    /** @type {HTMLButtonElement} */ (el.querySelector('#form-done')).hidden = true;
    backButton.hidden = false;
    clearFieldErrors(el);
    const saveBtn = /** @type {HTMLButtonElement} */ (el.querySelector('#save-entry'));
    saveBtn.disabled = true;
    saveBtn.textContent = 'Saving…';
    try {
      const out = await api.librarySave({ connector: manifest.id, ...fields.collect() });
      fields.clearSecret();
      if (out.warnings.length === 0) {
        back(`Saved. Every install of ${manifest.name} will use this app.`, manifest.id);
        return;
      }
      // Saved, but the admin should read these before leaving: at the top, in view, and Done
      // in Back's place (what Back would ask about is saved), so two buttons, not three.
      warnings.replaceChildren(h('li', {}, h('strong', {}, 'Saved, with warnings:')), ...out.warnings.map((w) => h('li', {}, w)));
      const done = /** @type {HTMLButtonElement} */ (el.querySelector('#form-done'));
      done.hidden = false;
      backButton.hidden = true;
      warnings.scrollIntoView({ block: 'nearest' });
      done.focus({ preventScroll: true });
      // Saved: nothing left to lose by switching tabs (app.js asks only about dirty forms).
      delete (/** @type {HTMLFormElement} */ (el.querySelector('#entry-form')).dataset.dirty);
    } catch (err) {
      showError(formError, err);
      showFieldErrors(el, err);
    }
    saveBtn.disabled = false;
    saveBtn.textContent = 'Save';
  }

  async function clear() {
    // Say what depends on the shared app before it goes.
    let using = 0;
    try {
      using = (await api.libraryList()).find((c) => c.manifest.id === manifest.id)?.installations_using ?? 0;
    } catch {
      // The dialog still warns in general terms.
    }
    const depend =
      using === 0
        ? 'No installation uses it yet.'
        : `${using === 1 ? '1 installation signed in' : `${using} installations signed in`} with this app: ${using === 1 ? 'it stops' : 'they stop'} refreshing and ${using === 1 ? 'needs' : 'need'} Re-authenticate with the user\u2019s own app.`;
    const ok = await confirmDialog(
      'Clear this entry?',
      `${manifest.name} becomes "Bring your own app": every user will supply their own app details and scopes at install. The stored Client Secret is removed from the keychain. ${depend}`,
      'Clear entry',
    );
    if (!ok) return;
    try {
      await api.libraryClear(manifest.id);
      back(`${manifest.name} is now Bring your own app.`);
    } catch (err) {
      showError(formError, err);
    }
  }

  /**
   * Ctrl+Enter (Cmd+Enter on a Mac) saves from anywhere in the form, also from the boxes
   * where a plain Enter does not (the scope search and paste boxes).
   * @param {KeyboardEvent} e
   */
  function saveShortcut(e) {
    if (e.key !== 'Enter' || !(e.ctrlKey || e.metaKey)) return;
    e.preventDefault();
    const saveBtn = /** @type {HTMLButtonElement} */ (el.querySelector('#save-entry'));
    if (!saveBtn.disabled) /** @type {HTMLFormElement} */ (e.currentTarget).requestSubmit(saveBtn);
  }

  // Back (and Escape, which presses it) asks before throwing away what was typed here.
  const backButton = h('button', { type: 'button', id: 'cancel-entry', onclick: () => leaveForm(el, () => back('')) }, 'Back');
  put(
    el,
    // Save and Back beside the title: the form below (app, secret, scopes) is long.
    formBar(
      `${manifest.name}: library entry`,
      h(
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
      ),
      backButton,
      h('button', { type: 'button', id: 'form-done', hidden: true, onclick: () => back('Saved.', manifest.id) }, 'Done'),
    ),
    notice ? h('p', { class: 'status', role: 'status', id: 'form-notice' }, notice) : null,
    formError,
    warnings,
    h(
      'form',
      { id: 'entry-form', novalidate: true, onsubmit: save, onkeydown: saveShortcut },
      fields.el,
      entry?.updated_at
        ? h(
            'div',
            { class: 'actions' },
            h('button', { type: 'button', class: 'danger', id: 'clear-entry', onclick: clear }, 'Clear (Bring your own app)'),
          )
        : null,
    ),
  );
  // An imported entry is not saved yet: leaving the tab would lose it, as it would typing.
  if (notice) /** @type {HTMLFormElement} */ (el.querySelector('#entry-form')).dataset.dirty = '';
  escapePresses(el, () => backButton);
  fields.focus();
}
