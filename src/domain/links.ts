/**
 * Links to the public portal, shared by messages, receipts and the portal itself. The portal is
 * a static page, so a case's page is a fragment route: `<portal>/#/track/<code>`.
 */
export function trackingUrl(portalUrl: string, trackingCode: string): string {
  const base = portalUrl.replace(/\/+$/, '');
  return base ? `${base}/#/track/${trackingCode}` : '';
}

export function feedbackUrl(portalUrl: string, trackingCode: string): string {
  const track = trackingUrl(portalUrl, trackingCode);
  return track ? `${track}/feedback` : '';
}

/**
 * A case in the admin panel (the content manager's edit view), relative to the panel's own base
 * (`/admin` unless configured otherwise), so the panel's router can follow it.
 */
export function adminCasePath(documentId: string): string {
  return `/content-manager/collection-types/api::grievance.grievance/${documentId}`;
}
