// @ts-check
// The Install form's elements and its state, and what shows which step: the stepper, the
// details (the install fields and the app), the one-line summary once they are left behind,
// the check's box, the wait for Microsoft, and the one action row.

import { formBar, h, put } from '../components/dom.js';
import { showError } from '../components/errors.js';
import { fieldIds, fieldRow } from '../components/field-row.js';
import { needsKeychain } from '../components/keychain-gate.js';
import { createStepper } from '../components/stepper.js';
import { createStepActions } from '../components/step-actions.js';
import { takeAddresses } from '../components/org-address.js';
import { installApp } from './install-app.js';

/** @import {AppState, AuthOption, ConnectorView, InstallInput, Installation, InstallationView, Manifest, Preflight} from '../types.js' */
/** @typedef {Manifest['install_fields'][number]} InstallField */
/** @import {Step} from '../components/stepper.js' */

/**
 * One Install form: its state (the last check's answer, the sign-in step's buttons, whether
 * the browser was asked for), which only the form's functions change, and its elements.
 * @typedef {object} InstallView
 * @property {{
 *   checked: {pre: Preflight, auth: AuthOption}|null,
 *   waitButtons: {cancel: HTMLButtonElement, toBrowser: HTMLButtonElement|null},
 *   toBrowser: boolean,
 * }} state `checked`: kept here (not in the page) for Sign In, `null` until the check passes;
 *   `waitButtons`: the sign-in step's (Cancel, and maybe Open in browser instead), made with its view;
 *   `toBrowser`: "Open in browser instead" was pressed, so the cancel it causes starts the browser sign-in
 * @property {HTMLElement} el the view's box
 * @property {AppState} app
 * @property {Manifest} manifest
 * @property {InstallationView|null} reauth
 * @property {(message: string, installation?: Installation) => void} back
 * @property {ReturnType<typeof createStepper>} stepper
 * @property {ReturnType<typeof createStepActions>} actions
 * @property {HTMLElement} formError
 * @property {HTMLElement} notice outcomes that are not failures (a cancelled sign-in), not in the red alert
 * @property {HTMLElement} preflightBox
 * @property {HTMLElement} waiting
 * @property {HTMLButtonElement} nextButton
 * @property {HTMLButtonElement} signInButton
 * @property {HTMLButtonElement} backButton
 * @property {HTMLButtonElement} cancelButton
 * @property {HTMLElement} summary
 * @property {HTMLElement} summaryText
 * @property {HTMLButtonElement} editButton
 * @property {{f: InstallField, input: HTMLInputElement, row: HTMLElement}[]} locate
 * @property {HTMLElement} appBox
 * @property {Awaited<ReturnType<typeof installApp>>['appFields']} appFields
 * @property {HTMLFormElement} form
 */

/**
 * The form's elements, with the install fields filled from the installation re-authenticated.
 * @param {{el: HTMLElement, app: AppState, connector: ConnectorView, reauth: InstallationView|null, toEntra: boolean, back: InstallView['back']}} install
 * @returns {Promise<InstallView>}
 */
export async function createInstallView({ el, app, connector, reauth, toEntra, back }) {
  const manifest = connector.manifest;
  const formError = h('div', { id: 'install-error', class: 'error', role: 'alert', hidden: true });
  const notice = h('p', { id: 'install-notice', class: 'notice', role: 'status', hidden: true });
  const preflightBox = h('div', { id: 'preflight', 'aria-live': 'polite' });
  const waiting = h('div', { id: 'sign-in-waiting', class: 'waiting', role: 'status', hidden: true });
  // What the details step entered, said in one line once it is left behind.
  const summaryText = h('span', { id: 'install-summary-text' });
  const editButton = h('button', { type: 'button', id: 'install-edit' }, 'Edit details');
  const summary = h('p', { id: 'install-summary', class: 'install-summary', hidden: true }, summaryText, ' ', editButton);
  const locate = manifest.install_fields.map((f) => installField(f, reauth));
  const byKind = (/** @type {string} */ kind) => locate.find((l) => l.f.kind === kind)?.input;
  const organization = byKind('organization');
  if (organization && !reauth) takeAddresses(organization, byKind('project'));
  const { box: appBox, appFields } = await installApp({
    state: app,
    connector,
    reauth,
    toEntra,
    onError: (err) => showError(formError, err),
  });
  const fields = h('fieldset', { class: 'plain' }, ...locate.map((l) => l.row), appBox);
  const backButton = h('button', { type: 'button', id: 'install-back' }, 'Back');
  return {
    state: { checked: null, waitButtons: { cancel: backButton, toBrowser: null }, toBrowser: false },
    el,
    app,
    manifest,
    reauth,
    back,
    // Details → Check → Sign in here; Connected is the Installations view's (orientation.js).
    stepper: createStepper('details'),
    actions: createStepActions('Install step actions'),
    formError,
    notice,
    preflightBox,
    waiting,
    ...buttons(app),
    backButton,
    summary,
    summaryText,
    editButton,
    locate,
    appBox,
    appFields,
    form: h('form', { id: 'install-form', novalidate: true }, fields),
  };
}

/**
 * Next and Sign In (each needs the keychain), and Cancel install, the title's.
 * @param {AppState} app
 */
function buttons(app) {
  const nextButton = needsKeychain(
    h('button', { type: 'submit', class: 'primary', id: 'install-next', form: 'install-form' }, 'Next'),
    app.keychain,
  );
  const signInButton = needsKeychain(
    h('button', { type: 'button', class: 'primary', id: 'sign-in', 'aria-describedby': 'sign-in-where' }, 'Sign In'),
    app.keychain,
  );
  const cancelButton = h('button', { type: 'button', id: 'install-cancel' }, 'Cancel install');
  return { nextButton, signInButton, cancelButton };
}

/**
 * One install field (organization, project), a property of the installation too: a
 * re-authentication shows its value, read-only.
 * @param {InstallField} f
 * @param {InstallationView|null} reauth
 */
function installField(f, reauth) {
  const { inputId, describedBy } = fieldIds(f.id);
  const input = h('input', {
    type: 'text',
    id: inputId,
    spellcheck: 'false',
    autocomplete: 'off',
    'aria-describedby': describedBy,
    'aria-required': 'true',
  });
  input.value = /** @type {Record<string, string>|null} */ (/** @type {unknown} */ (reauth))?.[f.id] ?? '';
  if (reauth) input.readOnly = true;
  return { f, input, row: fieldRow({ id: f.id, label: f.label, help: f.help, control: input }) };
}

/**
 * Puts the form in its box. The step's buttons are under its content, in one row; leaving
 * the install is the title's.
 * @param {InstallView} view
 * @param {boolean} toEntra
 */
export function showForm(view, toEntra) {
  const { reauth, manifest } = view;
  const title =
    toEntra && reauth
      ? `Move ${reauth.organization} / ${reauth.project} to Entra ID`
      : reauth
        ? `Re-authenticate ${reauth.organization} / ${reauth.project}`
        : `Install ${manifest.name}`;
  put(
    view.el,
    formBar(title, view.cancelButton),
    view.stepper.el,
    view.formError,
    view.summary,
    view.form,
    view.preflightBox,
    view.notice,
    view.waiting,
    view.actions.el,
  );
}

/**
 * One step on screen at a time, each with one primary button in the action row: the
 * details and Next; the check's answer (what was entered reads as one line, with Edit
 * details), Back and Sign In; then the wait for Microsoft, with Cancel. Connected is the
 * Installations view's, with Done in the same place.
 * @param {InstallView} view
 * @param {Step} step
 */
export function stage(view, step) {
  const { actions } = view;
  view.stepper.set(step);
  view.form.hidden = step !== 'details';
  view.summary.hidden = step === 'details';
  view.preflightBox.hidden = step !== 'check';
  view.waiting.hidden = step !== 'sign-in';
  view.editButton.disabled = step === 'sign-in';
  // The details are locked while Microsoft's window is open: what it signs in to can't change under it.
  view.cancelButton.disabled = step === 'sign-in';
  if (step === 'details') actions.set([], [view.nextButton]);
  else if (step === 'check') actions.set([view.backButton], [view.signInButton]);
  else actions.set([view.state.waitButtons.cancel], [view.state.waitButtons.toBrowser]);
  if (step !== 'details') put(view.summaryText, summaryLine(view));
}

/**
 * What the form says to install, for the check and for Sign In.
 * @param {InstallView} view
 * @param {boolean} confirmed
 * @returns {InstallInput}
 */
export function input(view, confirmed) {
  const { appFields } = view;
  const v = Object.fromEntries(view.locate.map(({ f, input }) => [f.id, input.value]));
  const own = appFields ? (({ auth_type, values, secret }) => ({ auth_type, values, secret }))(appFields.collect()) : null;
  return {
    connector: view.manifest.id,
    organization: v.organization ?? '',
    project: v.project ?? '',
    own_app: own,
    scopes_confirmed: confirmed,
    reauth: view.reauth?.id ?? null,
  };
}

/**
 * "contoso / Website · Shared app", for the steps after the details.
 * @param {InstallView} view
 */
function summaryLine(view) {
  const { appFields } = view;
  const v = input(view, false);
  const app = appFields ? `your app, Client ID ${appFields.collect().values.client_id ?? ''}` : (view.appBox.textContent ?? '');
  return [h('strong', {}, `${v.organization} / ${v.project}`), ` · ${app.replace(/\.$/, '')}`];
}
