// Install: Organization ID and Project Name, plus the user's own app when the
// library entry is blank; Next shows the pre-flight (scopes, warnings, the
// callback to check); Sign In opens Microsoft's window and waits for it.

import * as api from '../api.js';
import { h, put, showError } from '../components/dom.js';
import { createAppFields, showFieldErrors, clearFieldErrors } from '../components/app-fields.js';

export async function renderInstallForm(el, state, connector, reauth, back) {
  const manifest = connector.manifest;
  const shared = connector.mode === 'shared';
  const formError = h('div', { id: 'install-error', class: 'error', role: 'alert', hidden: true });
  const preflightBox = h('div', { id: 'preflight', 'aria-live': 'polite' });
  const waiting = h('div', { id: 'sign-in-waiting', class: 'waiting', role: 'status', hidden: true });

  const locate = manifest.install_fields.map((f) => {
    const input = h('input', { type: 'text', id: `field-${f.id}`, spellcheck: 'false', autocomplete: 'off', 'aria-describedby': `field-${f.id}-help field-${f.id}-error`, 'aria-required': 'true' });
    input.value = reauth?.[f.id] ?? '';
    if (reauth) input.readOnly = true;
    return { f, input, row: h('div', { class: 'field' }, h('label', { for: `field-${f.id}` }, f.label), input,
      h('p', { class: 'help muted', id: `field-${f.id}-help` }, f.help), h('p', { class: 'field-error', id: `field-${f.id}-error`, role: 'alert' })) };
  });

  let appFields = null;
  let appBox;
  if (reauth?.source === 'own') {
    appBox = h('p', { id: 'own-app-reauth', class: 'shared-app' }, 'Uses your own app again: Client ID ', reauth.own_app.client_id,
      '. Its Client Secret is in the keychain.');
  } else if (shared) {
    const auth = manifest.auth_types.find((a) => a.id === connector.entry.auth_type);
    appBox = h('p', { id: 'shared-app', class: 'shared-app' }, 'Uses the shared app from the Connector Library: ', h('strong', {}, auth.label),
      ` · Client ID ${connector.entry.values.client_id}`);
  } else {
    appFields = await createAppFields({ manifest, entry: null, keychainOk: state.keychain?.available !== false, onError: (err) => showError(formError, err) });
    appBox = h('section', { 'aria-labelledby': 'own-app-title' }, h('h3', { id: 'own-app-title' }, 'Your app'),
      h('p', { class: 'muted', id: 'own-app-note' }, 'The Connector Library has no shared app for this connector, so enter your own app\u2019s details and the scopes it was registered with.'),
      appFields.el);
  }

  function input(confirmed) {
    const v = Object.fromEntries(locate.map(({ f, input }) => [f.id, input.value]));
    const own = appFields ? (({ auth_type, values, secret }) => ({ auth_type, values, secret }))(appFields.collect()) : null;
    return { connector: manifest.id, organization: v.organization ?? '', project: v.project ?? '', own_app: own, scopes_confirmed: confirmed, reauth: reauth?.id ?? null };
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
    const confirm = pre.needs_scope_confirmation
      ? h('div', { class: 'field' },
        h('input', { type: 'checkbox', id: 'field-scopes_confirmed', 'aria-describedby': 'field-scopes_confirmed-error' }),
        h('label', { for: 'field-scopes_confirmed' }, ' These are exactly the Authorized scopes of my app registration.'),
        h('p', { class: 'field-error', id: 'field-scopes_confirmed-error', role: 'alert' }))
      : null;
    const entra = pre.auth_type === 'entra';
    const embeddedBox = entra ? h('div', { class: 'field' },
      h('input', { type: 'checkbox', id: 'entra-embedded', checked: pre.flow === 'embedded', 'aria-describedby': 'entra-embedded-help',
        onchange: async (e) => { try { await api.entraEmbeddedSet(e.target.checked); await next(new Event('submit')); } catch (err) { fail(err); } } }),
      h('label', { for: 'entra-embedded' }, ' Sign in in a window inside Connector Console instead of my browser'),
      h('p', { class: 'help muted', id: 'entra-embedded-help' }, 'Your browser is the default: it supports passkeys and security keys, your organization’s Conditional Access, and company browser policy, which an embedded window may not.')) : null;
    const tenantInput = el.querySelector('#field-tenant_id');
    const tenantBox = entra && pre.org_tenant ? h('p', { id: 'org-tenant' }, `The organization’s Entra tenant is ${pre.org_tenant}. `,
      tenantInput && tenantInput.value.trim() !== pre.org_tenant
        ? h('button', { type: 'button', id: 'use-org-tenant', onclick: () => { tenantInput.value = pre.org_tenant; next(new Event('submit')); } }, 'Use this Tenant ID') : null) : null;
    preflightBox.dataset.flow = pre.flow;
    put(preflightBox,
      h('h3', {}, 'Ready to sign in'),
      tenantBox,
      h('p', {}, 'Scopes sent: ', h('span', { id: 'preflight-scopes' }, pre.scope_names.join(', ')), ' ', h('code', {}, pre.scopes)),
      pre.warning ? h('p', { class: 'warning', id: 'preflight-warning' }, pre.warning) : null,
      entra
        ? h('p', { class: 'muted' }, 'Microsoft will return to ', h('code', { id: 'preflight-callback' }, pre.callback_url),
          ' on a free port, which the app registration must list as a redirect URI.')
        : h('p', { class: 'muted' }, 'Microsoft will return to ', h('code', { id: 'preflight-callback' }, pre.callback_url),
          ', which must be the app\u2019s Authorization callback URL exactly.'),
      confirm,
      embeddedBox,
      h('div', { class: 'actions' }, h('button', { type: 'button', class: 'primary', id: 'sign-in', onclick: signIn }, 'Sign In')));
    el.querySelector('#sign-in').focus();
  }

  async function signIn() {
    formError.hidden = true;
    clearFieldErrors(el);
    const confirmed = el.querySelector('#field-scopes_confirmed')?.checked ?? true;
    const callback = el.querySelector('#preflight-callback')?.textContent ?? '';
    const browser = preflightBox.dataset.flow === 'browser';
    put(waiting, 
      browser
        ? h('p', {}, h('strong', {}, 'Waiting for you to sign in in your browser\u2026'), ' Your browser opened Microsoft\u2019s sign-in page. When it says you can close the tab, come back here.')
        : h('p', {}, h('strong', {}, 'Waiting for sign-in\u2026'), ' A Microsoft window is open: choose your account and authorize the connector there.'),
      browser
        ? h('p', { class: 'muted' }, 'If Microsoft shows an error page instead (for example AADSTS50011), the app registration needs http://localhost under \u201cMobile and desktop applications\u201d.')
        : h('p', { class: 'muted' }, `If that window shows an error page instead of a sign-in page, the app's Authorization callback URL is probably not exactly ${callback}. Close the window, fix the registration or the service domain, and try again.`),
      h('button', { type: 'button', id: 'sign-in-cancel', onclick: () => api.signInCancel() }, 'Cancel'));
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

  put(el,
    h('h2', {}, reauth ? `Re-authenticate ${reauth.organization} / ${reauth.project}` : `Install ${manifest.name}`),
    formError,
    h('form', { id: 'install-form', novalidate: true, onsubmit: next },
      ...locate.map((l) => l.row), appBox,
      h('div', { class: 'actions' },
        h('button', { type: 'submit', class: 'primary', id: 'install-next' }, 'Next'),
        h('button', { type: 'button', id: 'install-back', onclick: () => back('') }, 'Back'))),
    preflightBox, waiting);
  locate[0].input.focus();
}
