// @ts-check
// An app's details, rendered from a connector manifest: the auth type choice,
// its fields (Client ID, Client Secret with reveal, Scopes picker, Tenant or
// service domain) with help and per-field errors, and the redirect URI to
// register with a copy button. Used by the library entry and by Install.

import * as api from '../api.js';
import { h, put, copyText } from './dom.js';
import { fieldIds, fieldRow } from './field-row.js';
import { createScopePicker } from './scope-picker.js';

/** @import {AuthOption, CommandError, EntryDraft, Manifest} from '../types.js' */

/**
 * The redirect URI, or null while a value it is built from is still missing.
 * @param {AuthOption} auth
 * @param {Record<string, string>} values
 * @returns {string|null}
 */
function redirectFor(auth, values) {
  if (auth.redirect_uri) return auth.redirect_uri;
  if (!auth.redirect_template) return null;
  let out = auth.redirect_template;
  for (const [k, v] of Object.entries(values)) {
    if (!out.includes(`{${k}}`)) continue;
    const part = v
      .trim()
      .replace(/^https:\/\//, '')
      .replace(/\/+$/, '');
    // An empty service domain would give "https:///connector/callback": not a URL to copy.
    if (!part) return null;
    out = out.replaceAll(`{${k}}`, part);
  }
  return out.includes('{') ? null : out;
}

/**
 * @param {{manifest: Manifest, entry: EntryDraft|null, keychainOk: boolean, onError: (err: CommandError) => void}} opts
 */
export async function createAppFields({ manifest, entry, keychainOk, onError }) {
  /** @type {string} */
  let authId = entry?.auth_type ?? manifest.auth_types[0].id;
  /** @type {Record<string, string>} */
  const values = { ...(entry?.values ?? {}) };
  const fieldsBox = h('div', { id: 'entry-fields' });
  const redirectBox = h('div', { id: 'redirect-box', class: 'redirect' });
  /** @type {Awaited<ReturnType<typeof createScopePicker>>|null} */
  let picker = null;
  /** @type {HTMLInputElement|null} */
  let secretInput = null;

  const authChoices = h(
    'fieldset',
    { class: 'auth-types' },
    h('legend', {}, 'Auth type'),
    manifest.auth_types.map((a) =>
      h(
        'div',
        { class: 'auth-choice' },
        h('input', {
          type: 'radio',
          name: 'auth_type',
          id: `auth-${a.id}`,
          value: a.id,
          checked: a.id === authId,
          'aria-describedby': `auth-${a.id}-desc`,
          onchange: () => {
            collectValues();
            authId = a.id;
            renderFields();
          },
        }),
        h('label', { for: `auth-${a.id}` }, a.label),
        h('p', { id: `auth-${a.id}-desc`, class: 'muted' }, a.explanation),
      ),
    ),
  );

  function collectValues() {
    for (const input of /** @type {NodeListOf<HTMLInputElement>} */ (
      fieldsBox.querySelectorAll('input[data-field]:not([data-kind=secret])')
    ))
      values[/** @type {string} */ (input.dataset.field)] = input.value;
    if (picker) values.scopes = picker.value();
  }

  function updateRedirect() {
    collectValues();
    // authId is always one of the connector's auth options (an entry's is checked when saved or imported).
    const auth = /** @type {AuthOption} */ (manifest.auth_types.find((a) => a.id === authId));
    const uri = redirectFor(auth, values);
    const copied = h('span', { role: 'status', id: 'redirect-copied' });
    put(
      redirectBox,
      h('h3', {}, auth.redirect_uri ? 'Redirect URI to register' : 'Authorization callback URL to register'),
      uri
        ? h(
            'p',
            {},
            h('code', { id: 'redirect-uri' }, uri),
            ' ',
            h(
              'button',
              {
                type: 'button',
                id: 'copy-redirect',
                onclick: async () => {
                  copied.textContent = (await copyText(uri)) ? 'Copied.' : 'Select it and copy it.';
                },
              },
              'Copy',
            ),
            ' ',
            copied,
          )
        : h('p', { class: 'muted', id: 'redirect-uri' }, 'Enter the service domain to see the callback URL.'),
      h('p', { class: 'muted' }, auth.redirect_note),
      h(
        'p',
        {},
        h(
          'button',
          {
            type: 'button',
            class: 'link',
            id: 'open-registration',
            onclick: () => api.openRegistrationPage(manifest.id, auth.id).catch(onError),
          },
          'Open Microsoft\u2019s registration page in your browser',
        ),
      ),
    );
  }

  async function renderFields() {
    const auth = /** @type {AuthOption} */ (manifest.auth_types.find((a) => a.id === authId));
    const rows = [];
    picker = null;
    secretInput = null;
    for (const f of auth.fields) {
      const { inputId, labelId, describedBy: described } = fieldIds(f.id);
      let control;
      if (f.kind === 'scopes') {
        picker = await createScopePicker({
          id: inputId,
          labelledBy: labelId,
          describedBy: described,
          value: values.scopes ?? '',
          legacy: auth.id === 'legacy',
          recommended: { scope: manifest.recommended_scope, note: manifest.recommended_scope_note },
        });
        control = picker.el;
      } else if (f.kind === 'secret') {
        secretInput = h('input', {
          type: 'password',
          id: inputId,
          'data-field': f.id,
          // Picked out by kind: after Show its type is text, and it must never join the plain values.
          'data-kind': 'secret',
          autocomplete: 'off',
          spellcheck: 'false',
          'aria-describedby': described,
          disabled: !keychainOk,
        });
        const input = secretInput;
        const reveal = h(
          'button',
          {
            type: 'button',
            id: `reveal-${f.id}`,
            'aria-pressed': 'false',
            'aria-controls': inputId,
            disabled: !keychainOk,
            onclick: () => {
              const show = input.type === 'password';
              input.type = show ? 'text' : 'password';
              reveal.setAttribute('aria-pressed', String(show));
              reveal.textContent = show ? 'Hide' : 'Show';
            },
          },
          'Show',
        );
        const stored = entry?.has_secret
          ? h('p', { class: 'muted', id: `${inputId}-stored` }, 'A secret is stored in the OS keychain. Leave blank to keep it.')
          : null;
        const noKeychain = keychainOk
          ? null
          : h('p', { class: 'field-error' }, 'The OS keychain is unavailable, so a secret can\u2019t be stored.');
        control = h('div', {}, h('div', { class: 'secret-row' }, secretInput, reveal), stored, noKeychain);
      } else {
        const input = h('input', {
          // A date field (the Client Secret's expiry) gets the platform's date picker.
          type: f.kind === 'date' ? 'date' : 'text',
          id: inputId,
          'data-field': f.id,
          spellcheck: 'false',
          autocomplete: 'off',
          'aria-describedby': described,
          'aria-required': String(f.required),
        });
        input.value = values[f.id] ?? '';
        if (f.kind === 'domain') input.addEventListener('input', updateRedirect);
        if (f.kind === 'date') {
          // WebKit draws an empty date's format (mm/dd/yyyy) like a value: marked, it shows muted.
          const mark = () => input.toggleAttribute('data-empty', input.value === '');
          input.addEventListener('input', mark);
          mark();
        }
        control = input;
      }
      rows.push(fieldRow({ id: f.id, label: f.label, required: f.required, help: f.help, control }));
    }
    fieldsBox.replaceChildren(...rows);
    updateRedirect();
  }

  await renderFields();
  return {
    el: h('div', { class: 'app-fields' }, authChoices, fieldsBox, redirectBox),
    focus: () => document.getElementById(`auth-${authId}`)?.focus(),
    /** @returns {{auth_type: string, values: Object<string,string>, secret: string|null}} */
    collect() {
      collectValues();
      return { auth_type: authId, values: { ...values }, secret: secretInput?.value ? secretInput.value : null };
    },
    clearSecret() {
      if (secretInput) secretInput.value = '';
    },
    /** Puts these scopes in the picker (null when this auth type has none). @param {string[]} scopes */
    setScopes(scopes) {
      picker?.set(scopes);
    },
  };
}
