// @ts-check
// The Install form's steps: the check (Next), Sign In and the wait for Microsoft, what a
// failed or cancelled sign-in leaves on screen, and Back to the details.

import * as api from '../api.js';
import { h, put } from '../components/dom.js';
import { clearFieldErrors, showError, showFieldErrors } from '../components/errors.js';
import { gateAll } from '../components/keychain-gate.js';
import { preflightView, waitingView } from './preflight.js';
import { linkToPaste, showBrowserFailed } from './browser-failed.js';
import { input, stage } from './install-form-view.js';

/** @import {AuthOption, CommandError, Preflight} from '../types.js' */
/** @import {InstallView} from './install-form-view.js' */

/**
 * The error, with its fields marked. A scope mismatch with a known registration: one click
 * puts its scopes in the form and checks again.
 * @param {InstallView} view
 * @param {CommandError} err
 */
export function fail(view, err) {
  const fields = view.appFields;
  const useScopes = fields
    ? (/** @type {string[]} */ scopes) => {
        fields.setScopes(scopes);
        check(view);
      }
    : undefined;
  showError(view.formError, err, useScopes);
  showFieldErrors(view.el, err);
  if (err.code === 'project_not_found' && err.did_you_mean) offerProjects(view, err.did_you_mean.choices);
}

/**
 * A project that doesn't exist: the organization's projects, each a button that puts it in the
 * Project field. In the field's error line, so they go when the field is edited or checked again.
 * @param {InstallView} view
 * @param {string[]} projects
 */
function offerProjects(view, projects) {
  const line = view.el.querySelector('#field-project-error');
  const field = /** @type {HTMLInputElement|null} */ (view.el.querySelector('#field-project'));
  if (!line || !field) return;
  const choose = (/** @type {string} */ name) => {
    field.value = name;
    // An edit, as typing would be: it clears the field's error and these buttons with it.
    field.dispatchEvent(new Event('input', { bubbles: true }));
    field.focus();
  };
  line.append(
    ' Projects there: ',
    ...projects.flatMap((name, i) => [
      i ? ' ' : '',
      h('button', { type: 'button', class: 'project-choice', 'data-project': name, onclick: () => choose(name) }, name),
    ]),
  );
}

/**
 * Next: the core checks the details, and its answer is the check step.
 * @param {InstallView} view
 * @param {Event} [event]
 */
export async function check(view, event) {
  event?.preventDefault?.();
  const { el, preflightBox } = view;
  view.formError.hidden = true;
  view.notice.hidden = true;
  clearFieldErrors(el);
  preflightBox.replaceChildren();
  view.state.checked = null;
  let pre;
  try {
    pre = await api.installPreflight(input(view, false));
  } catch (err) {
    // What to fix is in the details: show them, with the error.
    stage(view, 'details');
    fail(view, err);
    return;
  }
  const auth = /** @type {AuthOption} */ (view.manifest.auth_types.find((a) => a.id === pre.auth_type));
  view.state.checked = { pre, auth };
  // The app's fields (app-fields.js) have the tenant, when the app is the user's own.
  /** @type {HTMLInputElement|null} */
  const tenantInput = el.querySelector('#field-tenant_id');
  put(
    preflightBox,
    preflightView(pre, auth, {
      tenantValue: tenantInput ? tenantInput.value : null,
      onUseTenant: () => {
        // Offered only when the tenant field and the organization's tenant differ: both exist.
        /** @type {HTMLInputElement} */ (tenantInput).value = /** @type {string} */ (pre.org_tenant);
        check(view, new Event('submit'));
      },
      onEmbeddedChange: async (embedded) => {
        try {
          await api.entraEmbeddedSet(embedded);
          await check(view, new Event('submit'));
        } catch (err) {
          fail(view, err);
        }
      },
    }),
  );
  stage(view, 'check');
  view.signInButton.focus();
}

/**
 * Signs in again after the choice of where changed: the app's own window (`embedded`),
 * or the browser. The check runs again first, as the choice changes what it says.
 * @param {InstallView} view
 * @param {boolean} embedded
 */
async function signInWith(view, embedded) {
  try {
    await api.entraEmbeddedSet(embedded);
    await check(view);
    if (view.state.checked) await signIn(view);
  } catch (e) {
    stage(view, 'details');
    fail(view, e);
  }
}

/**
 * Sign In: Microsoft's window, and the wait for it, with Cancel.
 * @param {InstallView} view
 * @param {boolean} [copyLink] the browser didn't open: show the link to paste into one instead
 */
export async function signIn(view, copyLink = false) {
  const { el, waiting } = view;
  view.formError.hidden = true;
  view.notice.hidden = true;
  clearFieldErrors(el);
  // The check's own question (preflight.js), when it asks one.
  const confirmed = /** @type {HTMLInputElement|null} */ (el.querySelector('#field-scopes_confirmed'))?.checked ?? true;
  // Sign In is offered only once the check passed, so `checked` is set.
  const { pre, auth } = /** @type {{pre: Preflight, auth: AuthOption}} */ (view.state.checked);
  // Entra in the app's window can switch to the browser: this attempt is cancelled, the
  // choice saved, and the sign-in starts again there.
  const onBrowser =
    pre.flow === 'embedded' && auth.sign_in_copy.flow_choice_help
      ? () => {
          view.state.toBrowser = true;
          api.signInCancel();
        }
      : null;
  // A shared app's registration is the admin's: its callback is not the user's to fix.
  const callback = pre.source === 'own' ? pre.callback_url : null;
  const { body, ...buttons } = waitingView(pre.flow, view.manifest, auth, callback, { onCancel: () => api.signInCancel(), onBrowser });
  put(waiting, body);
  view.state.waitButtons = buttons;
  stage(view, 'sign-in');
  buttons.cancel.focus();
  // The link comes as an event once the attempt has it; the command answers only at the end.
  const unlisten = copyLink ? await api.onSignInLink((link) => waiting.append(linkToPaste(link))) : null;
  try {
    const done = await api.signIn(input(view, confirmed), copyLink);
    view.appFields?.clearSecret();
    view.back(done.message, done.installation);
  } catch (err) {
    await signInFailed(view, err);
  } finally {
    unlisten?.();
  }
}

/**
 * Where a sign-in that did not finish leaves the form: the browser asked for instead, the
 * browser that didn't open, a cancel, or what to fix.
 * @param {InstallView} view
 * @param {CommandError} err
 */
async function signInFailed(view, err) {
  const { state } = view;
  gateAll(view.el, view.app.keychain);
  if (err.code === 'sign_in_cancelled' && state.toBrowser) {
    state.toBrowser = false;
    await signInWith(view, false);
    return;
  }
  if (err.code === 'browser_failed') {
    // Still ready to sign in, just not through that browser: stay at the check.
    stage(view, 'check');
    showBrowserFailed(view.formError, err, { onWindow: () => signInWith(view, true), onCopy: () => signIn(view, true) });
    return;
  }
  if (err.code === 'sign_in_cancelled') {
    stage(view, 'check');
    // The user's own choice (Cancel, or closing the window): nothing failed, so no alert.
    view.notice.textContent = 'Sign-in cancelled. Nothing was changed.';
    view.notice.dataset.code = err.code;
    view.notice.hidden = false;
    // Cancel is hidden now; keep the keyboard where the next step is.
    view.signInButton.focus();
    return;
  }
  // Microsoft's refusals (a wrong secret, scopes the registration lacks) are fixed in the details;
  // the check's own question (confirming the scopes) is answered where it is asked.
  const atCheck = (err.fields ?? []).some((/** @type {{field: string}} */ f) => view.preflightBox.querySelector(`#field-${f.field}`));
  stage(view, atCheck ? 'check' : 'details');
  fail(view, err);
}

/**
 * Back from the check to the details, keeping everything entered.
 * @param {InstallView} view
 */
export function editDetails(view) {
  view.notice.hidden = true;
  view.state.checked = null;
  stage(view, 'details');
  const first = view.locate[0].input;
  first.readOnly ? view.nextButton.focus() : first.focus();
}
