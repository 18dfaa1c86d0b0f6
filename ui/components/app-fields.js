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
 * @typedef {{manifest: Manifest, entry: EntryDraft|null, keychainOk: boolean, onError: (err: CommandError) => void}} AppFieldsOptions
 */

/**
 * One form's app fields. `state` is what the user chose and typed (kept across a change of
 * auth type) and the controls now shown, which only the functions below change.
 * @typedef {object} AppFields
 * @property {AppFieldsOptions} opts
 * @property {{authId: string, values: Record<string, string>, inputs: HTMLInputElement[], picker: ScopePicker|null, secretInput: HTMLInputElement|null, redirectAsks: number}} state
 *   `inputs`: the plain fields shown (not the secret, which never joins the values);
 *   `redirectAsks`: how many times the redirect URI was asked for, so only the latest answer shows
 * @property {Map<string, HTMLInputElement>} radios the auth type choices, by auth id
 * @property {HTMLElement} fieldsBox
 * @property {HTMLElement} redirectBox
 */

/** @typedef {Awaited<ReturnType<typeof createScopePicker>>} ScopePicker */

/**
 * @param {AppFieldsOptions} opts
 */
export async function createAppFields(opts) {
  const { manifest, entry } = opts;
  /** @type {AppFields} */
  const view = {
    opts,
    state: {
      authId: entry?.auth_type ?? manifest.auth_types[0].id,
      values: { ...(entry?.values ?? {}) },
      inputs: [],
      picker: null,
      secretInput: null,
      redirectAsks: 0,
    },
    radios: new Map(),
    fieldsBox: h('div', { id: 'entry-fields' }),
    redirectBox: h('div', { id: 'redirect-box', class: 'redirect' }),
  };
  const authChoices = authTypeChoices(view);
  await renderFields(view);
  const { state } = view;
  return {
    el: h('div', { class: 'app-fields' }, authChoices, view.fieldsBox, view.redirectBox),
    focus: () => view.radios.get(state.authId)?.focus(),
    /** @returns {{auth_type: string, values: Object<string,string>, secret: string|null}} */
    collect() {
      collectValues(view);
      return { auth_type: state.authId, values: { ...state.values }, secret: state.secretInput?.value ? state.secretInput.value : null };
    },
    clearSecret() {
      if (state.secretInput) state.secretInput.value = '';
    },
    /** Puts these scopes in the picker (null when this auth type has none). @param {string[]} scopes */
    setScopes(scopes) {
      state.picker?.set(scopes);
    },
  };
}

/**
 * The auth type radios; choosing one keeps what was typed and shows that type's fields.
 * @param {AppFields} view
 */
function authTypeChoices(view) {
  const { state } = view;
  return h(
    'fieldset',
    { class: 'auth-types' },
    h('legend', {}, 'Auth type'),
    view.opts.manifest.auth_types.map((a) => {
      const radio = h('input', {
        type: 'radio',
        name: 'auth_type',
        id: `auth-${a.id}`,
        value: a.id,
        checked: a.id === state.authId,
        'aria-describedby': `auth-${a.id}-desc`,
        onchange: () => {
          collectValues(view);
          state.authId = a.id;
          renderFields(view);
        },
      });
      view.radios.set(a.id, radio);
      return h(
        'div',
        { class: 'auth-choice' },
        radio,
        h('label', { for: `auth-${a.id}` }, a.label),
        h('p', { id: `auth-${a.id}-desc`, class: 'muted' }, a.explanation),
      );
    }),
  );
}

/**
 * The chosen auth option (always one of the connector's: an entry's is checked when saved or imported).
 * @param {AppFields} view
 */
const chosenAuth = (view) => /** @type {AuthOption} */ (view.opts.manifest.auth_types.find((a) => a.id === view.state.authId));

/**
 * What the shown fields hold goes into `state.values` (the secret never does).
 * @param {AppFields} view
 */
function collectValues(view) {
  const { state } = view;
  for (const input of state.inputs) state.values[/** @type {string} */ (input.dataset.field)] = input.value;
  if (state.picker) state.values.scopes = state.picker.value();
}

/**
 * The redirect URI to register for what is typed now, with Copy, and the registration page's link.
 * @param {AppFields} view
 */
async function renderRedirect(view) {
  collectValues(view);
  const auth = chosenAuth(view);
  // The core fills the template (as the sign-in will); an answer overtaken by more typing is dropped.
  const ask = ++view.state.redirectAsks;
  const uri = auth.redirect_uri ?? (await api.libraryRedirectUri(view.opts.manifest.id, auth.id, view.state.values).catch(() => null));
  if (ask !== view.state.redirectAsks) return;
  put(
    view.redirectBox,
    h('h3', {}, auth.redirect_uri ? 'Redirect URI to register' : 'Authorization callback URL to register'),
    uri ? redirectLine(uri) : h('p', { class: 'muted', id: 'redirect-uri' }, 'Enter the service domain to see the callback URL.'),
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
          onclick: () => api.openRegistrationPage(view.opts.manifest.id, auth.id).catch(view.opts.onError),
        },
        'Open Microsoft\u2019s registration page in your browser',
      ),
    ),
  );
}

/**
 * The redirect URI with its Copy button and the line that says whether it was copied.
 * @param {string} uri
 */
function redirectLine(uri) {
  const copied = h('span', { role: 'status', id: 'redirect-copied' });
  const copy = async () => {
    copied.textContent = (await copyText(uri)) ? 'Copied.' : 'Select it and copy it.';
  };
  return h(
    'p',
    {},
    h('code', { id: 'redirect-uri' }, uri),
    ' ',
    h('button', { type: 'button', id: 'copy-redirect', onclick: copy }, 'Copy'),
    ' ',
    copied,
  );
}

/**
 * The chosen auth type's fields, each in its row with its help, then the redirect URI.
 * @param {AppFields} view
 */
async function renderFields(view) {
  const { state } = view;
  const auth = chosenAuth(view);
  const rows = [];
  /** @type {HTMLInputElement[]} */
  const inputs = [];
  state.picker = null;
  state.secretInput = null;
  for (const f of auth.fields) {
    const ids = fieldIds(f.id);
    let control;
    if (f.kind === 'scopes') {
      state.picker = await scopesControl(view, auth, ids);
      control = state.picker.el;
    } else if (f.kind === 'secret') {
      const secret = secretControl(view, f, ids);
      state.secretInput = secret.input;
      control = secret.el;
    } else {
      control = plainControl(view, f, ids);
      inputs.push(control);
    }
    rows.push(fieldRow({ id: f.id, label: f.label, required: f.required, help: f.help, control }));
  }
  // The plain values are read from the fields shown: these from now on, not before.
  state.inputs = inputs;
  view.fieldsBox.replaceChildren(...rows);
  void renderRedirect(view);
}

/** @typedef {AuthOption['fields'][number]} Field */
/** @typedef {ReturnType<typeof fieldIds>} FieldIds */

/**
 * The scope picker, with the scopes chosen so far.
 * @param {AppFields} view
 * @param {AuthOption} auth
 * @param {FieldIds} ids
 */
function scopesControl(view, auth, ids) {
  const { manifest } = view.opts;
  return createScopePicker({
    id: ids.inputId,
    labelledBy: ids.labelId,
    describedBy: ids.describedBy,
    value: view.state.values.scopes ?? '',
    legacy: auth.id === 'legacy',
    recommended: { scope: manifest.recommended_scope, note: manifest.recommended_scope_note },
  });
}

/**
 * The secret's box with Show/Hide, and what is stored already or why nothing can be.
 * @param {AppFields} view
 * @param {Field} f
 * @param {FieldIds} ids
 */
function secretControl(view, f, ids) {
  const { keychainOk, entry } = view.opts;
  const input = h('input', {
    type: 'password',
    id: ids.inputId,
    'data-field': f.id,
    autocomplete: 'off',
    spellcheck: 'false',
    'aria-describedby': ids.describedBy,
    disabled: !keychainOk,
  });
  const reveal = h(
    'button',
    { type: 'button', id: `reveal-${f.id}`, 'aria-pressed': 'false', 'aria-controls': ids.inputId, disabled: !keychainOk },
    'Show',
  );
  reveal.addEventListener('click', () => {
    const show = input.type === 'password';
    input.type = show ? 'text' : 'password';
    reveal.setAttribute('aria-pressed', String(show));
    reveal.textContent = show ? 'Hide' : 'Show';
  });
  const stored = entry?.has_secret
    ? h('p', { class: 'muted', id: `${ids.inputId}-stored` }, 'A secret is stored in the OS keychain. Leave blank to keep it.')
    : null;
  const noKeychain = keychainOk
    ? null
    : h('p', { class: 'field-error' }, 'The OS keychain is unavailable, so a secret can\u2019t be stored.');
  return { el: h('div', {}, h('div', { class: 'secret-row' }, input, reveal), stored, noKeychain), input };
}

/**
 * A text field (a date field gets the platform's date picker), holding what was typed before.
 * @param {AppFields} view
 * @param {Field} f
 * @param {FieldIds} ids
 */
function plainControl(view, f, ids) {
  const input = h('input', {
    type: f.kind === 'date' ? 'date' : 'text',
    id: ids.inputId,
    'data-field': f.id,
    spellcheck: 'false',
    autocomplete: 'off',
    'aria-describedby': ids.describedBy,
    'aria-required': String(f.required),
  });
  input.value = view.state.values[f.id] ?? '';
  // The service domain is part of the callback URL: it follows the typing.
  if (f.kind === 'domain') input.addEventListener('input', () => void renderRedirect(view));
  if (f.kind === 'date') {
    // WebKit draws an empty date's format (mm/dd/yyyy) like a value: marked, it shows muted.
    const mark = () => input.toggleAttribute('data-empty', input.value === '');
    input.addEventListener('input', mark);
    mark();
  }
  return input;
}
