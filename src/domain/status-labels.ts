/** Status labels for citizens, in the languages the platform ships (the admin panel has its own copy for staff). */
const LABELS: Record<string, Record<string, string>> = {
  en: { submitted: 'Received', acknowledged: 'Acknowledged', assigned: 'Assigned', in_progress: 'In progress', escalated: 'Escalated', resolved: 'Resolved', closed: 'Closed', rejected: 'Not admissible' },
  fr: { submitted: 'Reçue', acknowledged: 'Prise en compte', assigned: 'Attribuée', in_progress: 'En cours', escalated: 'Transmise', resolved: 'Résolue', closed: 'Clôturée', rejected: 'Irrecevable' },
  hi: { submitted: 'प्राप्त', acknowledged: 'स्वीकृत', assigned: 'सौंपी गई', in_progress: 'कार्य जारी', escalated: 'आगे बढ़ाई गई', resolved: 'समाधान हुआ', closed: 'बंद', rejected: 'अस्वीकार्य' },
};

export const statusLabels = (locale: string): Record<string, string> => LABELS[locale] ?? LABELS.en;
