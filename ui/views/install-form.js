// @ts-check
// Install: Organization ID and Project Name, plus the user's own app when the
// library entry is blank; Next shows the pre-flight (scopes, warnings, the
// callback to check); Sign In opens Microsoft's window and waits for it.
// Re-authenticate opens with the check already run, at Sign In; a move to Entra ID asks
// for the new app first.

import * as api from '../api.js';
import { escapePresses, formBar, h, put } from '../components/dom.js';
import { createAppFields } from '../components/app-fields.js';
import { clearFieldErrors, showError, showFieldErrors } from '../components/errors.js';
import { fieldIds, fieldRow } from '../components/field-row.js';
import { gateAll, needsKeychain } from '../components/keychain-gate.js';
import { createStepper } from '../components/stepper.js';
import { leaveForm } from '../components/drafts.js';
import { preflightView, waitingView } from './preflight.js';

/** @import {AppState, AuthOption, CommandError, ConnectorView, InstallInput, Installation, InstallationView, Preflight} from '../types.js' */

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
  // A library entry set up here (shared) or deployed by policy (managed) is the app every
  // install uses: the core takes it and ignores an own app, so none is asked for.
  const libraryApp = connector.mode === 'shared' || connector.mode === 'managed';
  const formError = h('div', { id: 'install-error', class: 'error', role: 'alert', hidden: true });
  // Outcomes that are not failures (a cancelled sign-in) are said here, not in the red alert.
  const notice = h('p', { id: 'install-notice', class: 'notice', role: 'status', hidden: true });
  const preflightBox = h('div', { id: 'preflight', 'aria-live': 'polite' });
  const waiting = h('div', { id: 'sign-in-waiting', class: 'waiting', role: 'status', hidden: true });
  // Details → Check → Sign in here; Connected is the Installations view's (orientation.js).
  const stepper = createStepper('details');
  const nextButton = needsKeychain(
    h('button', { type: 'submit', class: 'primary', id: 'install-next', form: 'install-form' }, 'Next'),
    state.keychain,
  );
  // What the details step entered, said in one line once it is left behind.
  const summaryText = h('span', { id: 'install-summary-text' });
  const editButton = h('button', { type: 'button', id: 'install-edit', onclick: () => editDetails() }, 'Edit details');
  const summary = h('p', { id: 'install-summary', class: 'install-summary', hidden: true }, summaryText, ' ', editButton);

  /**
   * One step on screen at a time, each with one primary button: the details and Next;
   * the check's answer and Sign In (what was entered reads as one line, with Edit details);
   * then the wait for Microsoft, with Cancel. Connected is the Installations view's.
   * @param {import('../components/stepper.js').Step} step
   */
  function stage(step) {
    stepper.set(step);
    form.hidden = step !== 'details';
    summary.hidden = step === 'details';
    preflightBox.hidden = step !== 'check';
    waiting.hidden = step !== 'sign-in';
    nextButton.hidden = step !== 'details';
    editButton.disabled = step === 'sign-in';
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

  /** @type {Awaited<ReturnType<typeof createAppFields>>|null} */
  let appFields = null;
  /**
   * The user's own app's fields under a heading and a note: a new install's app, or the
   * Entra app an own installation moves to.
   * @param {import('../types.js').EntryDraft|null} entry what the fields start with
   * @param {string} title
   * @param {string} noteId
   * @param {string} note
   */
  async function ownAppSection(entry, title, noteId, note) {
    appFields = await createAppFields({
      manifest,
      entry,
      keychainOk: state.keychain?.available !== false,
      onError: (err) => showError(formError, err),
    });
    return h(
      'section',
      { 'aria-labelledby': 'own-app-title' },
      h('h3', { id: 'own-app-title' }, title),
      h('p', { class: 'muted', id: noteId }, note),
      appFields.el,
    );
  }
  /** @type {HTMLElement} */
  let appBox;
  if (reauth?.source === 'own' && toEntra) {
    // The move keeps the installation: only its app changes, to the Entra one the guide described.
    appBox = await ownAppSection(
      { auth_type: 'entra', values: { scopes: reauth.scopes }, has_secret: false },
      'Your Entra app',
      'move-note',
      'Enter the Application (client) ID of the app you registered in Microsoft Entra ID. This installation keeps its organization, project and history; the legacy app stays in use unless the sign-in succeeds.',
    );
  } else if (reauth?.source === 'own') {
    appBox = h(
      'p',
      { id: 'own-app-reauth', class: 'shared-app' },
      'Uses your own app again: Client ID ',
      // An installation made with its own app has that app's values.
      /** @type {Record<string, string>} */ (reauth.own_app).client_id,
      '. Its Client Secret is in the keychain.',
    );
  } else if (libraryApp) {
    const auth = /** @type {AuthOption} */ (manifest.auth_types.find((a) => a.id === connector.entry.auth_type));
    const clientId = connector.entry.values.client_id;
    appBox =
      connector.mode === 'managed'
        ? h(
            'p',
            { id: 'shared-app', class: 'shared-app', 'data-mode': 'managed' },
            'Uses your organization\u2019s app, Client ID ',
            h('span', { class: 'nowrap' }, clientId),
            ' · ',
            h('strong', {}, auth.label),
            // The same condition as the Connector Library's secret form for a managed entry.
            connector.entry.auth_type === 'legacy' && !connector.entry.has_secret
              ? '. Its Client Secret is not on this machine yet: enter it once in the Connector Library.'
              : null,
          )
        : h(
            'p',
            { id: 'shared-app', class: 'shared-app', 'data-mode': 'shared' },
            'Uses the shared app from the Connector Library: ',
            h('strong', {}, auth.label),
            ' · Client ID ',
            h('span', { class: 'nowrap' }, clientId),
          );
  } else {
    appBox = await ownAppSection(
      null,
      'Your app',
      'own-app-note',
      'The Connector Library has no shared app for this connector, so enter your own app\u2019s details and the scopes it was registered with.',
    );
  }

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
        onSignIn: signIn,
      }),
    );
    needsKeychain(/** @type {HTMLButtonElement} */ (el.querySelector('#sign-in')), state.keychain);
    stage('check');
    /** @type {HTMLButtonElement} */ (el.querySelector('#sign-in')).focus();
  }

  async function signIn() {
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
    put(waiting, waitingView(pre.flow, manifest, auth, callback, { onCancel: () => api.signInCancel(), onBrowser }));
    // The details are locked while Microsoft's window is open: what it signs in to can't change under it.
    stage('sign-in');
    backButton.disabled = true;
    /** @type {HTMLButtonElement} */ (el.querySelector('#sign-in-cancel')).focus();
    try {
      const done = await api.signIn(input(confirmed));
      appFields?.clearSecret();
      back(done.message, done.installation);
    } catch (err) {
      backButton.disabled = false;
      gateAll(el, state.keychain);
      if (err.code === 'sign_in_cancelled' && toBrowser) {
        toBrowser = false;
        try {
          await api.entraEmbeddedSet(false);
          await next();
          if (checked) await signIn();
        } catch (e) {
          stage('details');
          fail(e);
        }
        return;
      }
      if (err.code === 'sign_in_cancelled') {
        stage('check');
        // The user's own choice (Cancel, or closing the window): nothing failed, so no alert.
        notice.textContent = 'Sign-in cancelled. Nothing was changed.';
        notice.dataset.code = err.code;
        notice.hidden = false;
        // Cancel is hidden now; keep the keyboard where the next step is.
        /** @type {HTMLButtonElement|null} */ (el.querySelector('#sign-in'))?.focus();
        return;
      }
      // Microsoft's refusals (a wrong secret, scopes the registration lacks) are fixed in the details;
      // the check's own question (confirming the scopes) is answered where it is asked.
      const atCheck = (err.fields ?? []).some((/** @type {{field: string}} */ f) => preflightBox.querySelector(`#field-${f.field}`));
      stage(atCheck ? 'check' : 'details');
      fail(err);
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

  // Back (and Escape, which presses it) asks before throwing away what was typed here.
  const backButton = h('button', { type: 'button', id: 'install-back', onclick: () => leaveForm(el, () => back('')) }, 'Back');
  const fields = h('fieldset', { class: 'plain' }, ...locate.map((l) => l.row), appBox);
  const form = h('form', { id: 'install-form', novalidate: true, onsubmit: next }, fields);
  const title =
    toEntra && reauth
      ? `Move ${reauth.organization} / ${reauth.project} to Entra ID`
      : reauth
        ? `Re-authenticate ${reauth.organization} / ${reauth.project}`
        : `Install ${manifest.name}`;
  // Back and the step's primary button sit beside the title, above a form that can be long.
  put(el, formBar(title, nextButton, backButton), stepper.el, formError, summary, form, preflightBox, notice, waiting);
  stage('details');
  // Escape steps back: from the wait it is Cancel, from the check Edit details, else Back.
  escapePresses(el, () => (!waiting.hidden ? waiting.querySelector('#sign-in-cancel') : !preflightBox.hidden ? editButton : backButton));
  // Re-authenticating changes none of the details, so it opens at Sign in: the check runs
  // at once (its answer, or what to fix, takes the focus).
  if (reauth && !toEntra) next();
  else (appFields && reauth ? /** @type {HTMLElement} */ (el.querySelector('#field-client_id')) : locate[0].input).focus();
}
