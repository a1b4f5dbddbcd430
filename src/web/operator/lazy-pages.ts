import { lazy } from 'react';

/**
 * Every page of the console is its own chunk. A new page is one loader here and one route in
 * operator-app.tsx (and, if it belongs in the bar, one link in operator-layout.tsx).
 */
const loadSignInPage = () => import('./sign-in-page.js');
const loadTenantsPage = () => import('./tenants-page.js');
const loadTenantPage = () => import('./tenant-page.js');
const loadNewTenantPage = () => import('./new-tenant-page.js');
const loadSettingsPage = () => import('./settings-page.js');
const loadAuditPage = () => import('./audit-page.js');
const loadDomainsPage = () => import('./domains-page.js');

export const SignInPage = lazy(() => loadSignInPage().then((m) => ({ default: m.SignInPage })));
export const TenantsPage = lazy(() => loadTenantsPage().then((m) => ({ default: m.TenantsPage })));
export const TenantPage = lazy(() => loadTenantPage().then((m) => ({ default: m.TenantPage })));
export const NewTenantPage = lazy(() => loadNewTenantPage().then((m) => ({ default: m.NewTenantPage })));
export const SettingsPage = lazy(() => loadSettingsPage().then((m) => ({ default: m.SettingsPage })));
export const AuditPage = lazy(() => loadAuditPage().then((m) => ({ default: m.AuditPage })));
export const DomainsPage = lazy(() => loadDomainsPage().then((m) => ({ default: m.DomainsPage })));
