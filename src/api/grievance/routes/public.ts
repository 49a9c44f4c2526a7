/** Public routes of a case (docs/public-api.md); no login, limited per client address. */
export default {
  routes: [
    { method: 'POST', path: '/grievances/submit', handler: 'api::grievance.public.submit', config: { auth: false } },
    { method: 'POST', path: '/grievances/attachments', handler: 'api::grievance.public.attachments', config: { auth: false } },
    { method: 'GET', path: '/grievances/track/:trackingCode', handler: 'api::grievance.public.track', config: { auth: false } },
    { method: 'POST', path: '/grievances/track/:trackingCode/receipt', handler: 'api::grievance.public.receipt', config: { auth: false } },
    // Gone: it took the secret in the query string. Answers 400 SECRET_IN_URL.
    { method: 'GET', path: '/grievances/track/:trackingCode/receipt.pdf', handler: 'api::grievance.public.receiptByUrl', config: { auth: false } },
    { method: 'POST', path: '/grievances/track/:trackingCode/feedback', handler: 'api::grievance.public.feedback', config: { auth: false } },
    { method: 'POST', path: '/grievances/track/:trackingCode/accept', handler: 'api::grievance.public.accept', config: { auth: false } },
    { method: 'POST', path: '/grievances/track/:trackingCode/appeal', handler: 'api::grievance.public.appeal', config: { auth: false } },
    { method: 'POST', path: '/grievances/track/:trackingCode/attachments', handler: 'api::grievance.public.attachmentLinks', config: { auth: false } },
    { method: 'GET', path: '/files/:token', handler: 'api::grievance.public.file', config: { auth: false } },
    { method: 'GET', path: '/public-reports', handler: 'api::grievance.public.reports', config: { auth: false } },
    { method: 'GET', path: '/public-metrics', handler: 'api::grievance.public.metrics', config: { auth: false } },
    { method: 'POST', path: '/intake/:channel', handler: 'api::grievance.public.channelIntake', config: { auth: false } },
    { method: 'GET', path: '/intake/:channel', handler: 'api::grievance.public.channelVerify', config: { auth: false } },
  ],
};
