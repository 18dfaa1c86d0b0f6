// Install: Organization ID and Project Name, plus the user's own app when the
// library entry is blank; Next shows the pre-flight (scopes, warnings, the
// callback to check); Sign In opens Microsoft's window and waits for it.

import * as api from '../api.js';
import { h, put } from '../components/dom.js';
import { createAppFields } from '../components/app-fields.js';
import { clearFieldErrors, showError, showFieldErrors } from '../components/errors.js';
import { fieldIds, fieldRow } from '../components/field-row.js';
import { preflightView, waitingView } from './preflight.js';

export async function renderInstallForm(el, state, connector, reauth, back) {
  const manifest = connector.manifest;
  const shared = connector.mode === 'shared';
  const formError = h('div', { id: 'install-error', class: 'error', role: 'alert', hidden: true });
  const preflightBox = h('div', { id: 'preflight', 'aria-live': 'polite' });
  const waiting = h('div', { id: 'sign-in-waiting', class: 'waiting', role: 'status', hidden: true });

  const locate = manifest.install_fields.map((f) => {
    const { inputId, describedBy } = fieldIds(f.id);
    const input = h('input', {
      type: 'text',
      id: inputId,
      spellcheck: 'false',
      autocomplete: 'off',
      'aria-describedby': describedBy,
      'aria-required': 'true',
    });
    input.value = reauth?.[f.id] ?? '';
    if (reauth) input.readOnly = true;
    return { f, input, row: fieldRow({ id: f.id, label: f.label, help: f.help, control: input }) };
  });

  let appFields = null;
  let appBox;
  if (reauth?.source === 'own') {
    appBox = h(
      'p',
      { id: 'own-app-reauth', class: 'shared-app' },
      'Uses your own app again: Client ID ',
      reauth.own_app.client_id,
      '. Its Client Secret is in the keychain.',
    );
  } else if (shared) {
    const auth = manifest.auth_types.find((a) => a.id === connector.entry.auth_type);
    appBox = h(
      'p',
      { id: 'shared-app', class: 'shared-app' },
      'Uses the shared app from the Connector Library: ',
      h('strong', {}, auth.label),
      ` · Client ID ${connector.entry.values.client_id}`,
    );
  } else {
    appFields = await createAppFields({
      manifest,
      entry: null,
      keychainOk: state.keychain?.available !== false,
      onError: (err) => showError(formError, err),
    });
    appBox = h(
      'section',
      { 'aria-labelledby': 'own-app-title' },
      h('h3', { id: 'own-app-title' }, 'Your app'),
      h(
        'p',
        { class: 'muted', id: 'own-app-note' },
        'The Connector Library has no shared app for this connector, so enter your own app\u2019s details and the scopes it was registered with.',
      ),
      appFields.el,
    );
  }

  function input(confirmed) {
    const v = Object.fromEntries(locate.map(({ f, input }) => [f.id, input.value]));
    const own = appFields ? (({ auth_type, values, secret }) => ({ auth_type, values, secret }))(appFields.collect()) : null;
    return {
      connector: manifest.id,
      organization: v.organization ?? '',
      project: v.project ?? '',
      own_app: own,
      scopes_confirmed: confirmed,
      reauth: reauth?.id ?? null,
    };
  }

  function fail(err) {
    showError(formError, err);
    showFieldErrors(el, err);
  }

  async function next(event) {
    event?.preventDefault?.();
    formError.hidden = true;
    clearFieldErrors(el);
    preflightBox.replaceChildren();
    let pre;
    try {
      pre = await api.installPreflight(input(false));
    } catch (err) {
      fail(err);
      return;
    }
    const auth = manifest.auth_types.find((a) => a.id === pre.auth_type);
    const tenantInput = el.querySelector('#field-tenant_id');
    preflightBox.dataset.flow = pre.flow;
    preflightBox.dataset.authType = pre.auth_type;
    put(
      preflightBox,
      preflightView(pre, auth, {
        tenantValue: tenantInput ? tenantInput.value : null,
        onUseTenant: () => {
          tenantInput.value = pre.org_tenant;
          next(new Event('submit'));
        },
        onEmbeddedChange: async (embedded) => {
          try {
            await api.entraEmbeddedSet(embedded);
            await next(new Event('submit'));
          } catch (err) {
            fail(err);
          }
        },
        onSignIn: signIn,
      }),
    );
    el.querySelector('#sign-in').focus();
  }

  async function signIn() {
    formError.hidden = true;
    clearFieldErrors(el);
    const confirmed = el.querySelector('#field-scopes_confirmed')?.checked ?? true;
    const callback = el.querySelector('#preflight-callback')?.textContent ?? '';
    const auth = manifest.auth_types.find((a) => a.id === preflightBox.dataset.authType);
    put(
      waiting,
      waitingView(preflightBox.dataset.flow, manifest, auth, callback, () => api.signInCancel()),
    );
    waiting.hidden = false;
    for (const b of el.querySelectorAll('#install-form button, #sign-in')) b.disabled = true;
    el.querySelector('#sign-in-cancel').focus();
    try {
      const done = await api.signIn(input(confirmed));
      appFields?.clearSecret();
      back(done.message);
    } catch (err) {
      waiting.hidden = true;
      for (const b of el.querySelectorAll('#install-form button, #sign-in')) b.disabled = false;
      fail(err);
    }
  }

  put(
    el,
    h('h2', {}, reauth ? `Re-authenticate ${reauth.organization} / ${reauth.project}` : `Install ${manifest.name}`),
    formError,
    h(
      'form',
      { id: 'install-form', novalidate: true, onsubmit: next },
      ...locate.map((l) => l.row),
      appBox,
      h(
        'div',
        { class: 'actions' },
        h('button', { type: 'submit', class: 'primary', id: 'install-next' }, 'Next'),
        h('button', { type: 'button', id: 'install-back', onclick: () => back('') }, 'Back'),
      ),
    ),
    preflightBox,
    waiting,
  );
  locate[0].input.focus();
}
