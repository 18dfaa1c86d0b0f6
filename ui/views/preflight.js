// @ts-check
// The pre-flight and waiting views of Install, as pure functions: data in,
// nodes out. The words specific to Microsoft come from the connector manifest.

import { h } from '../components/dom.js';

/** @import {AuthOption, Flow, Manifest, Preflight} from '../types.js' */

/**
 * What Next shows before Sign In: scopes sent, warnings, where Microsoft will
 * return, the scope confirmation for an own legacy app, and (Entra) the flow choice.
 * Sign In itself is in the step's action row, described by `#sign-in-where`.
 * @param {Preflight} pre the core's Preflight
 * @param {AuthOption} auth the connector's auth option
 * @param {{tenantValue: string|null, onUseTenant: () => void, onEmbeddedChange: (embedded: boolean) => void}} on
 */
export function preflightView(pre, auth, { tenantValue, onUseTenant, onEmbeddedChange }) {
  const copy = auth.sign_in_copy;
  const confirm = pre.needs_scope_confirmation
    ? h(
        'div',
        { class: 'field check' },
        h('input', { type: 'checkbox', id: 'field-scopes_confirmed', 'aria-describedby': 'field-scopes_confirmed-error' }),
        h('label', { for: 'field-scopes_confirmed' }, 'These are exactly the Authorized scopes of my app registration.'),
        h('p', { class: 'field-error', id: 'field-scopes_confirmed-error', role: 'alert' }),
      )
    : null;
  const flowChoice = copy.flow_choice_help
    ? h(
        'div',
        { class: 'field check' },
        h('input', {
          type: 'checkbox',
          id: 'entra-embedded',
          checked: pre.flow === 'embedded',
          'aria-describedby': 'entra-embedded-help',
          onchange: (e) => onEmbeddedChange(e.target.checked),
        }),
        h('label', { for: 'entra-embedded' }, 'Use a sign-in window inside Connector Console instead of my browser'),
        h('p', { class: 'help muted', id: 'entra-embedded-help' }, copy.flow_choice_help),
      )
    : null;
  // Which tenant Sign In goes to and why (the app's Tenant ID, the organization's
  // discovered one, or "organizations" when none was found), as the core decided it.
  const differs = pre.org_tenant && tenantValue && tenantValue.trim() !== '' && tenantValue.trim() !== pre.org_tenant;
  const tenant = pre.tenant
    ? h(
        'p',
        { id: 'sign-in-tenant' },
        'Signs in to tenant ',
        h('code', {}, pre.tenant.tenant),
        `: ${pre.tenant.why}. `,
        differs
          ? h(
              'button',
              { type: 'button', id: 'use-org-tenant', onclick: onUseTenant },
              `Use the organization\u2019s tenant, ${pre.org_tenant}`,
            )
          : null,
      )
    : null;
  return [
    h('h3', {}, 'Ready to sign in'),
    tenant,
    h('p', {}, 'Scopes sent: ', h('span', { id: 'preflight-scopes' }, pre.scope_names.join(', ')), ' ', h('code', {}, pre.scopes)),
    pre.warning ? h('p', { class: 'warning', id: 'preflight-warning' }, pre.warning) : null,
    // Where Microsoft returns matters to whoever registered the app: the user only for their own.
    pre.source === 'own'
      ? h(
          'p',
          { class: 'muted' },
          'Microsoft will return to ',
          h('code', { id: 'preflight-callback' }, pre.callback_url),
          copy.callback_note,
        )
      : null,
    confirm,
    flowChoice,
    h(
      'p',
      { class: 'muted', id: 'sign-in-where' },
      pre.flow === 'browser'
        ? 'Opens Microsoft\u2019s page in your browser.'
        : 'Opens Microsoft\u2019s page in a Connector Console window.',
    ),
  ];
}

/**
 * While the sign-in waits: where to look and what an error page there means (`body`), and
 * the step's buttons: Cancel, and for an Entra sign-in in the app's window, a move to the
 * browser (a legacy one can't: its callback is the service's own domain, which only the
 * app's window catches).
 * @param {Flow} flow
 * @param {Manifest} manifest
 * @param {AuthOption} auth
 * @param {string|null} callback the callback URL shown in the pre-flight; null for a shared app,
 *   whose registration the user can't fix (what to check there is then not said)
 * @param {{onCancel: () => void, onBrowser: (() => void)|null}} on
 */
export function waitingView(flow, manifest, auth, callback, { onCancel, onBrowser }) {
  const browser = flow === 'browser';
  const body = [
    h(
      'p',
      {},
      h('strong', {}, browser ? 'Waiting for you to sign in with your browser\u2026' : 'Waiting for sign-in\u2026'),
      ' ',
      browser ? manifest.sign_in_waiting.browser : manifest.sign_in_waiting.window,
    ),
    // The callback must match exactly: shown whole, never broken across lines.
    callback === null
      ? null
      : h(
          'p',
          { class: 'muted' },
          auth.sign_in_copy.trouble
            .split('{callback}')
            .flatMap((part, i) => (i ? [h('code', { class: 'nowrap' }, callback), part] : [part])),
        ),
  ];
  const cancel = h('button', { type: 'button', id: 'sign-in-cancel', onclick: onCancel }, 'Cancel');
  const toBrowser = onBrowser
    ? h('button', { type: 'button', id: 'sign-in-browser', onclick: onBrowser }, 'Open in browser instead')
    : null;
  return { body, cancel, toBrowser };
}
