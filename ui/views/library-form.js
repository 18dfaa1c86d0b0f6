// The library entry form for one connector, built from its manifest: auth type,
// its fields (with per-field errors), the redirect URI to register, Save/Clear.

import * as api from '../api.js';
import { h, copyText, confirmDialog, showError } from '../components/dom.js';
import { createScopePicker } from '../components/scope-picker.js';

function redirectFor(auth, values) {
  if (auth.redirect_uri) return auth.redirect_uri;
  if (!auth.redirect_template) return null;
  let out = auth.redirect_template;
  for (const [k, v] of Object.entries(values)) out = out.replaceAll(`{${k}}`, v.trim().replace(/^https:\/\//, '').replace(/\/+$/, ''));
  return out.includes('{') ? null : out;
}

export async function renderEntryForm(el, state, manifest, entry, notice, back) {
  let authId = entry?.auth_type ?? manifest.auth_types[0].id;
  const values = { ...(entry?.values ?? {}) };
  const keychainOk = state.keychain?.available !== false;

  const formError = h('div', { id: 'form-error', class: 'error', role: 'alert', hidden: true });
  const warnings = h('ul', { id: 'form-warnings', class: 'warnings', 'aria-live': 'polite' });
  const fieldsBox = h('div', { id: 'entry-fields' });
  const redirectBox = h('div', { id: 'redirect-box', class: 'redirect' });
  let picker = null;
  let secretInput = null;

  const authChoices = h('fieldset', { class: 'auth-types' }, h('legend', {}, 'Auth type'),
    manifest.auth_types.map((a) => h('div', { class: 'auth-choice' },
      h('input', { type: 'radio', name: 'auth_type', id: `auth-${a.id}`, value: a.id, checked: a.id === authId,
        'aria-describedby': `auth-${a.id}-desc`, onchange: () => { collect(); authId = a.id; renderFields(); } }),
      h('label', { for: `auth-${a.id}` }, a.label),
      h('p', { id: `auth-${a.id}-desc`, class: 'muted' }, a.explanation))));

  function collect() {
    for (const input of fieldsBox.querySelectorAll('input[data-field]:not([type=password])')) values[input.dataset.field] = input.value;
    if (picker) values.scopes = picker.value();
  }

  function updateRedirect() {
    collect();
    const auth = manifest.auth_types.find((a) => a.id === authId);
    const uri = redirectFor(auth, values);
    const copied = h('span', { role: 'status', id: 'redirect-copied' });
    redirectBox.replaceChildren(
      h('h3', {}, auth.redirect_uri ? 'Redirect URI to register' : 'Authorization callback URL to register'),
      uri ? h('p', {}, h('code', { id: 'redirect-uri' }, uri), ' ',
        h('button', { type: 'button', id: 'copy-redirect', onclick: async () => { copied.textContent = (await copyText(uri)) ? 'Copied.' : 'Select it and copy it.'; } }, 'Copy'), ' ', copied)
        : h('p', { class: 'muted', id: 'redirect-uri' }, 'Enter the service domain to see it.'),
      h('p', { class: 'muted' }, auth.redirect_note),
      h('p', {}, h('button', { type: 'button', class: 'link', id: 'open-registration',
        onclick: () => api.openRegistrationPage(manifest.id, auth.id).catch((err) => showError(formError, err)) },
      'Open Microsoft\u2019s registration page in your browser')));
  }

  async function renderFields() {
    const auth = manifest.auth_types.find((a) => a.id === authId);
    const rows = [];
    picker = null;
    secretInput = null;
    for (const f of auth.fields) {
      const inputId = `field-${f.id}`;
      const described = `${inputId}-help ${inputId}-error`;
      const label = h('label', { for: inputId, id: `${inputId}-label` }, f.label, f.required ? '' : ' (optional)');
      let control;
      if (f.kind === 'scopes') {
        picker = await createScopePicker({ id: inputId, labelledBy: `${inputId}-label`, describedBy: described, value: values.scopes ?? '', legacy: auth.id === 'legacy' });
        control = picker.el;
      } else if (f.kind === 'secret') {
        secretInput = h('input', { type: 'password', id: inputId, 'data-field': f.id, autocomplete: 'off', spellcheck: 'false', 'aria-describedby': described, disabled: !keychainOk });
        const reveal = h('button', { type: 'button', id: `reveal-${f.id}`, 'aria-pressed': 'false', 'aria-controls': inputId, disabled: !keychainOk, onclick: () => {
          const show = secretInput.type === 'password';
          secretInput.type = show ? 'text' : 'password';
          reveal.setAttribute('aria-pressed', String(show));
          reveal.textContent = show ? 'Hide' : 'Show';
        } }, 'Show');
        const stored = entry?.has_secret ? h('p', { class: 'muted', id: `${inputId}-stored` }, 'A secret is stored in the OS keychain. Leave blank to keep it.') : null;
        const noKeychain = keychainOk ? null : h('p', { class: 'field-error' }, 'The OS keychain is unavailable, so a secret can\u2019t be stored.');
        control = h('div', {}, h('div', { class: 'secret-row' }, secretInput, reveal), stored, noKeychain);
      } else {
        const input = h('input', { type: 'text', id: inputId, 'data-field': f.id, spellcheck: 'false', autocomplete: 'off', 'aria-describedby': described, 'aria-required': String(f.required) });
        input.value = values[f.id] ?? '';
        if (f.kind === 'domain') input.addEventListener('input', updateRedirect);
        control = input;
      }
      rows.push(h('div', { class: 'field', 'data-field-row': f.id }, label, control,
        h('p', { class: 'help muted', id: `${inputId}-help` }, f.help),
        h('p', { class: 'field-error', id: `${inputId}-error`, role: 'alert' })));
    }
    fieldsBox.replaceChildren(...rows);
    updateRedirect();
  }

  function clearErrors() {
    formError.hidden = true;
    warnings.replaceChildren();
    for (const p of fieldsBox.querySelectorAll('.field-error[id$="-error"]')) p.textContent = '';
    for (const i of fieldsBox.querySelectorAll('[aria-invalid]')) i.removeAttribute('aria-invalid');
  }

  async function save(event) {
    event.preventDefault();
    clearErrors();
    collect();
    const secret = secretInput?.value ? secretInput.value : null;
    const saveBtn = el.querySelector('#save-entry');
    saveBtn.disabled = true;
    saveBtn.textContent = 'Saving…';
    try {
      const out = await api.librarySave({ connector: manifest.id, auth_type: authId, values, secret });
      if (secretInput) secretInput.value = '';
      if (out.warnings.length) {
        // Saved, but the admin should read these before leaving.
        warnings.replaceChildren(h('li', {}, h('strong', {}, 'Saved, with warnings:')), ...out.warnings.map((w) => h('li', {}, w)));
        entry = out.connector.entry;
        saveBtn.textContent = 'Save';
        saveBtn.disabled = false;
        el.querySelector('#form-done')?.removeAttribute('hidden');
        return;
      }
      back(`Saved. Every install of ${manifest.name} will use this app.`);
    } catch (err) {
      saveBtn.disabled = false;
      saveBtn.textContent = 'Save';
      showError(formError, err);
      for (const f of err.fields ?? []) {
        const p = fieldsBox.querySelector(`#field-${f.field}-error`);
        if (p) p.textContent = f.message;
        fieldsBox.querySelector(`#field-${f.field}`)?.setAttribute('aria-invalid', 'true');
      }
      fieldsBox.querySelector('[aria-invalid="true"]')?.focus();
    }
  }

  async function clear() {
    const ok = await confirmDialog('Clear this entry?',
      `${manifest.name} becomes "Bring your own app": every user will supply their own app details and scopes at install. The stored Client Secret is removed from the keychain.`,
      'Clear entry');
    if (!ok) return;
    try {
      await api.libraryClear(manifest.id);
      back(`${manifest.name} is now Bring your own app.`);
    } catch (err) {
      showError(formError, err);
    }
  }

  el.replaceChildren(
    h('h2', {}, `${manifest.name}: library entry`),
    notice ? h('p', { class: 'status', role: 'status', id: 'form-notice' }, notice) : null,
    formError,
    h('form', { id: 'entry-form', novalidate: true, onsubmit: save },
      authChoices, fieldsBox, redirectBox, warnings,
      h('div', { class: 'actions' },
        h('button', { type: 'submit', class: 'primary', id: 'save-entry' }, 'Save'),
        h('button', { type: 'button', id: 'cancel-entry', onclick: () => back('') }, 'Back'),
        h('button', { type: 'button', id: 'form-done', hidden: true, onclick: () => back('Saved.') }, 'Done'),
        entry ? h('button', { type: 'button', class: 'danger', id: 'clear-entry', onclick: clear }, 'Clear (Bring your own app)') : null)));
  await renderFields();
  el.querySelector(`#auth-${authId}`).focus();
}
