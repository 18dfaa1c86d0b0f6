// @ts-check
// Install: Organization ID and Project Name, plus the user's own app when the
// library entry is blank; Next shows the pre-flight (scopes, warnings, the
// callback to check); Sign In opens Microsoft's window and waits for it.
// Re-authenticate opens with the check already run, at Sign In; a move to Entra ID asks
// for the new app first. Every step's buttons are in one action row under it: Back
// (the previous step) on the left, the step's primary on the right; Cancel install,
// in the title bar, leaves the whole install.

import * as api from '../api.js';
import { escapePresses, formBar, h, put } from '../components/dom.js';
import { clearFieldErrors, showError, showFieldErrors } from '../components/errors.js';
import { fieldIds, fieldRow } from '../components/field-row.js';
import { gateAll, needsKeychain } from '../components/keychain-gate.js';
import { createStepper } from '../components/stepper.js';
import { createStepActions } from '../components/step-actions.js';
import { leaveForm } from '../components/drafts.js';
import { fillFromLink } from './install-link.js';
import { preflightView, waitingView } from './preflight.js';
import { installApp } from './install-app.js';
import { linkToPaste, showBrowserFailed } from './browser-failed.js';

/** @import {AppState, AuthOption, CommandError, ConnectorView, InstallInput, Installation, InstallationView, Preflight} from '../types.js' */
/** @import {Step} from '../components/stepper.js' */

/**
 * @param {HTMLElement} el
 * @param {AppState} state
 * @param {ConnectorView} connector
 * @param {InstallationView|null} reauth the installation to re-authenticate, or null for a new one
 * @param {(message: string, installation?: Installation) => void} back
 * @param {boolean} [toEntra] re-authenticate an own legacy installation with a new Entra app (Move to Entra ID)
 */
export async function renderInstallForm(el, state, connector, reauth, back, toEntra = false) {
  const manifest = connector.manifest;
  const formError = h('div', { id: 'install-error', class: 'error', role: 'alert', hidden: true });
  // Outcomes that are not failures (a cancelled sign-in) are said here, not in the red alert.
  const notice = h('p', { id: 'install-notice', class: 'notice', role: 'status', hidden: true });
  const preflightBox = h('div', { id: 'preflight', 'aria-live': 'polite' });
  const waiting = h('div', { id: 'sign-in-waiting', class: 'waiting', role: 'status', hidden: true });
  // Details → Check → Sign in here; Connected is the Installations view's (orientation.js).
  const stepper = createStepper('details');
  const actions = createStepActions('Install step actions');
  const nextButton = needsKeychain(
    h('button', { type: 'submit', class: 'primary', id: 'install-next', form: 'install-form' }, 'Next'),
    state.keychain,
  );
  const signInButton = needsKeychain(
    h(
      'button',
      { type: 'button', class: 'primary', id: 'sign-in', 'aria-describedby': 'sign-in-where', onclick: () => signIn() },
      'Sign In',
    ),
    state.keychain,
  );
  const backButton = h('button', { type: 'button', id: 'install-back', onclick: () => editDetails() }, 'Back');
  // Leaving asks before throwing away what was typed here (as a tab switch does).
  const cancelButton = h(
    'button',
    { type: 'button', id: 'install-cancel', onclick: () => leaveForm(el, () => back('')) },
    'Cancel install',
  );
  /** The sign-in step's buttons (Cancel, and maybe Open in browser instead), made with its view. */
  let waitButtons = { cancel: backButton, toBrowser: /** @type {HTMLElement|null} */ (null) };
  // What the details step entered, said in one line once it is left behind.
  const summaryText = h('span', { id: 'install-summary-text' });
  const editButton = h('button', { type: 'button', id: 'install-edit', onclick: () => editDetails() }, 'Edit details');
  const summary = h('p', { id: 'install-summary', class: 'install-summary', hidden: true }, summaryText, ' ', editButton);

  /**
   * One step on screen at a time, each with one primary button in the action row: the
   * details and Next; the check's answer (what was entered reads as one line, with Edit
   * details), Back and Sign In; then the wait for Microsoft, with Cancel. Connected is the
   * Installations view's, with Done in the same place.
   * @param {Step} step
   */
  function stage(step) {
    stepper.set(step);
    form.hidden = step !== 'details';
    summary.hidden = step === 'details';
    preflightBox.hidden = step !== 'check';
    waiting.hidden = step !== 'sign-in';
    editButton.disabled = step === 'sign-in';
    // The details are locked while Microsoft's window is open: what it signs in to can't change under it.
    cancelButton.disabled = step === 'sign-in';
    if (step === 'details') actions.set([], [nextButton]);
    else if (step === 'check') actions.set([backButton], [signInButton]);
    else actions.set([waitButtons.cancel], [waitButtons.toBrowser]);
    if (step !== 'details') put(summaryText, summaryLine());
  }

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
    // The install fields (organization, project) are properties of the installation too.
    input.value = /** @type {Record<string, string>|null} */ (/** @type {unknown} */ (reauth))?.[f.id] ?? '';
    if (reauth) input.readOnly = true;
    return { f, input, row: fieldRow({ id: f.id, label: f.label, help: f.help, control: input }) };
  });

  const { box: appBox, appFields } = await installApp({ state, connector, reauth, toEntra, onError: (err) => showError(formError, err) });

  /**
   * @param {boolean} confirmed
   * @returns {InstallInput}
   */
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

  /** @param {CommandError} err */
  function fail(err) {
    // A scope mismatch with a known registration: one click puts its scopes in the form and checks again.
    const fields = appFields;
    const useScopes = fields
      ? (/** @type {string[]} */ scopes) => {
          fields.setScopes(scopes);
          next();
        }
      : undefined;
    showError(formError, err, useScopes);
    showFieldErrors(el, err);
  }

  /** The last check's answer, kept here (not in the page) for Sign In; `null` until it passes.
   * @type {{pre: Preflight, auth: AuthOption} | null} */
  let checked = null;
  /** "Open in browser instead" was pressed: the cancel it causes starts the browser sign-in. */
  let toBrowser = false;

  /** @param {Event} [event] */
  async function next(event) {
    event?.preventDefault?.();
    formError.hidden = true;
    notice.hidden = true;
    clearFieldErrors(el);
    preflightBox.replaceChildren();
    checked = null;
    let pre;
    try {
      pre = await api.installPreflight(input(false));
    } catch (err) {
      // What to fix is in the details: show them, with the error.
      stage('details');
      fail(err);
      return;
    }
    const auth = /** @type {AuthOption} */ (manifest.auth_types.find((a) => a.id === pre.auth_type));
    checked = { pre, auth };
    /** @type {HTMLInputElement|null} */
    const tenantInput = el.querySelector('#field-tenant_id');
    put(
      preflightBox,
      preflightView(pre, auth, {
        tenantValue: tenantInput ? tenantInput.value : null,
        onUseTenant: () => {
          // Offered only when the tenant field and the organization's tenant differ: both exist.
          /** @type {HTMLInputElement} */ (tenantInput).value = /** @type {string} */ (pre.org_tenant);
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
      }),
    );
    stage('check');
    signInButton.focus();
  }

  /**
   * Signs in again after the choice of where changed: the app's own window (`embedded`),
   * or the browser. The check runs again first, as the choice changes what it says.
   * @param {boolean} embedded
   */
  async function signInWith(embedded) {
    try {
      await api.entraEmbeddedSet(embedded);
      await next();
      if (checked) await signIn();
    } catch (e) {
      stage('details');
      fail(e);
    }
  }

  /** @param {boolean} [copyLink] the browser didn't open: show the link to paste into one instead */
  async function signIn(copyLink = false) {
    formError.hidden = true;
    notice.hidden = true;
    clearFieldErrors(el);
    const confirmed = /** @type {HTMLInputElement|null} */ (el.querySelector('#field-scopes_confirmed'))?.checked ?? true;
    // Sign In is offered only once the check passed, so `checked` is set.
    const { pre, auth } = /** @type {{pre: Preflight, auth: AuthOption}} */ (checked);
    // Entra in the app's window can switch to the browser: this attempt is cancelled, the
    // choice saved, and the sign-in starts again there.
    const onBrowser =
      pre.flow === 'embedded' && auth.sign_in_copy.flow_choice_help
        ? () => {
            toBrowser = true;
            api.signInCancel();
          }
        : null;
    // A shared app's registration is the admin's: its callback is not the user's to fix.
    const callback = pre.source === 'own' ? pre.callback_url : null;
    const { body, ...buttons } = waitingView(pre.flow, manifest, auth, callback, { onCancel: () => api.signInCancel(), onBrowser });
    put(waiting, body);
    waitButtons = buttons;
    stage('sign-in');
    buttons.cancel.focus();
    // The link comes as an event once the attempt has it; the command answers only at the end.
    const unlisten = copyLink ? await api.onSignInLink((link) => waiting.append(linkToPaste(link))) : null;
    try {
      const done = await api.signIn(input(confirmed), copyLink);
      appFields?.clearSecret();
      back(done.message, done.installation);
    } catch (err) {
      gateAll(el, state.keychain);
      if (err.code === 'sign_in_cancelled' && toBrowser) {
        toBrowser = false;
        await signInWith(false);
        return;
      }
      if (err.code === 'browser_failed') {
        // Still ready to sign in, just not through that browser: stay at the check.
        stage('check');
        showBrowserFailed(formError, err, { onWindow: () => signInWith(true), onCopy: () => signIn(true) });
        return;
      }
      if (err.code === 'sign_in_cancelled') {
        stage('check');
        // The user's own choice (Cancel, or closing the window): nothing failed, so no alert.
        notice.textContent = 'Sign-in cancelled. Nothing was changed.';
        notice.dataset.code = err.code;
        notice.hidden = false;
        // Cancel is hidden now; keep the keyboard where the next step is.
        signInButton.focus();
        return;
      }
      // Microsoft's refusals (a wrong secret, scopes the registration lacks) are fixed in the details;
      // the check's own question (confirming the scopes) is answered where it is asked.
      const atCheck = (err.fields ?? []).some((/** @type {{field: string}} */ f) => preflightBox.querySelector(`#field-${f.field}`));
      stage(atCheck ? 'check' : 'details');
      fail(err);
    } finally {
      unlisten?.();
    }
  }

  /** Back from the check to the details, keeping everything entered. */
  function editDetails() {
    notice.hidden = true;
    checked = null;
    stage('details');
    locate[0].input.readOnly ? nextButton.focus() : locate[0].input.focus();
  }

  /** "contoso / Website · Shared app", for the steps after the details. */
  function summaryLine() {
    const v = input(false);
    const app = appFields ? `your app, Client ID ${appFields.collect().values.client_id ?? ''}` : (appBox.textContent ?? '');
    return [h('strong', {}, `${v.organization} / ${v.project}`), ` · ${app.replace(/\.$/, '')}`];
  }

  const fields = h('fieldset', { class: 'plain' }, ...locate.map((l) => l.row), appBox);
  const form = h('form', { id: 'install-form', novalidate: true, onsubmit: next }, fields);
  const title =
    toEntra && reauth
      ? `Move ${reauth.organization} / ${reauth.project} to Entra ID`
      : reauth
        ? `Re-authenticate ${reauth.organization} / ${reauth.project}`
        : `Install ${manifest.name}`;
  // The step's buttons are under its content, in one row; leaving the install is the title's.
  put(el, formBar(title, cancelButton), stepper.el, formError, summary, form, preflightBox, notice, waiting, actions.el);
  stage('details');
  if (!reauth) fillFromLink(el, state, manifest.id);
  // Escape steps back: from the wait it is Cancel, from the check Back, from the details Cancel install.
  escapePresses(el, () => (!waiting.hidden ? waitButtons.cancel : !preflightBox.hidden ? backButton : cancelButton));
  // Re-authenticating changes none of the details, so it opens at Sign in: the check runs
  // at once (its answer, or what to fix, takes the focus).
  if (reauth && !toEntra) next();
  else (appFields && reauth ? /** @type {HTMLElement} */ (el.querySelector('#field-client_id')) : locate[0].input).focus();
}
