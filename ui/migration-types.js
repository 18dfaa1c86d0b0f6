// @ts-check
// The payloads of the move to Entra ID (core services/migration/): the guide and whose
// legacy app it is for. Types only, as in types.js.

/**
 * Whose legacy app a migration guide is for (services/migration.rs).
 * @typedef {{kind: 'library', connector: string} | {kind: 'installation', id: string}} LegacyApp
 */

/**
 * @typedef {object} EntraPermission
 * @property {string} scope
 * @property {string} name
 * @property {string} label
 */

/**
 * @typedef {object} TenantFinding
 * @property {string} organization
 * @property {string|null} tenant
 * @property {string|null} problem
 */

/**
 * What to register in Entra ID to replace a legacy app.
 * @typedef {object} RegistrationGuide
 * @property {string} connector
 * @property {string} legacy_client_id
 * @property {string} platform
 * @property {string} redirect_uri
 * @property {{permissions: EntraPermission[], no_equivalent: EntraPermission[], entra_adds: EntraPermission[]}} scopes
 * @property {TenantFinding[]} tenants
 * @property {'single_tenant'|'multi_tenant'|'unknown'} audience
 * @property {string} audience_text
 * @property {string} registration_url
 * @property {boolean} managed the Library entry comes from the organization's policy file
 */

export {};
