/** Words of the reports in the languages the platform ships, and the head every report carries. */

/** What every report prints at its top: project, period, when it was made, the audit chain head. */
export interface ReportHeader {
  kind: string;
  projectName: string;
  locale: string;
  periodLabel: string;
  generatedAt: string;
  auditHead: string | null;
}

export type ReportWords = Record<string, string>;

const EN: ReportWords = {
  monthly_public: 'Monthly grievance report', quarterly_public: 'Quarterly grievance report', monthly_escalated: 'Unresolved escalated cases', monthly_performance: 'Monthly performance review', custom: 'Grievance report',
  period: 'Period', generated: 'Generated', chainHead: 'Audit chain head', page: 'Page {n} of {total}', summary: 'Summary', figure: 'Figure', value: 'Value',
  received: 'Received', acknowledged: 'Acknowledged', resolved: 'Resolved', closed: 'Closed', pending: 'Pending', escalated: 'Escalated', referred: 'Referred to another body',
  medianDaysToAcknowledge: 'Median days to acknowledge', medianDaysToResolve: 'Median days to resolve', acknowledgementCompliance: 'Acknowledged on time', resolutionCompliance: 'Resolved on time',
  byCategory: 'By category', byRegion: 'By area', byMonth: 'By month', byLevel: 'Escalated by level', category: 'Category', region: 'Area', month: 'Month', level: 'Level', cases: 'Cases', rows: 'Rows',
  suppressed: 'Counts below {n} are withheld (—) so that nobody can be identified. Sensitive complaints are not included.', withheld: '—',
  project: 'Project', priority: 'Priority', code: 'Tracking code', status: 'Status', department: 'Department', submitted: 'Received on', due: 'Resolve by', daysOpen: 'Days open',
  byDepartment: 'By department', byPriority: 'By priority', channel: 'Channel', low: 'Low', normal: 'Normal', high: 'High', urgent: 'Urgent',
  staffNote: 'Staff figures, sensitive complaints included. For official use; not for publication.',
};
const FR: ReportWords = {
  ...EN,
  monthly_public: 'Rapport mensuel des réclamations', quarterly_public: 'Rapport trimestriel des réclamations', monthly_escalated: 'Dossiers transmis non résolus', monthly_performance: 'Revue mensuelle de performance', custom: 'Rapport des réclamations',
  period: 'Période', generated: 'Généré le', chainHead: 'Tête de la chaîne d’audit', page: 'Page {n} sur {total}', summary: 'Synthèse', figure: 'Indicateur', value: 'Valeur',
  received: 'Reçues', acknowledged: 'Prises en compte', resolved: 'Résolues', closed: 'Clôturées', pending: 'En cours', escalated: 'Transmises', referred: 'Renvoyées à un autre organe',
  medianDaysToAcknowledge: 'Jours médians avant prise en compte', medianDaysToResolve: 'Jours médians avant résolution', acknowledgementCompliance: 'Prises en compte dans les délais', resolutionCompliance: 'Résolues dans les délais',
  byCategory: 'Par catégorie', byRegion: 'Par zone', byMonth: 'Par mois', byLevel: 'Transmises par niveau', category: 'Catégorie', region: 'Zone', month: 'Mois', level: 'Niveau', cases: 'Dossiers', rows: 'Lignes',
  suppressed: 'Les effectifs inférieurs à {n} sont masqués (—) pour que personne ne soit identifiable. Les réclamations sensibles ne sont pas incluses.',
  project: 'Projet', priority: 'Priorité', code: 'Code de suivi', status: 'Statut', department: 'Service', submitted: 'Reçue le', due: 'Résolution avant', daysOpen: 'Jours ouverts',
  byDepartment: 'Par service', byPriority: 'Par priorité', channel: 'Canal', low: 'Basse', normal: 'Normale', high: 'Haute', urgent: 'Urgente',
  staffNote: 'Chiffres internes, réclamations sensibles comprises. Usage officiel ; ne pas publier.',
};
const HI: ReportWords = {
  ...EN,
  monthly_public: 'मासिक शिकायत रिपोर्ट', quarterly_public: 'त्रैमासिक शिकायत रिपोर्ट', monthly_escalated: 'अनसुलझे आगे बढ़ाए गए मामले', monthly_performance: 'मासिक प्रदर्शन समीक्षा', custom: 'शिकायत रिपोर्ट',
  period: 'अवधि', generated: 'तैयार', chainHead: 'ऑडिट श्रृंखला शीर्ष', page: 'पृष्ठ {n} / {total}', summary: 'सारांश', figure: 'सूचक', value: 'मान',
  received: 'प्राप्त', acknowledged: 'स्वीकृत', resolved: 'समाधान हुआ', closed: 'बंद', pending: 'लंबित', escalated: 'आगे बढ़ाई गई', referred: 'अन्य संस्था को भेजी गई',
  medianDaysToAcknowledge: 'पावती में माध्यिका दिन', medianDaysToResolve: 'समाधान में माध्यिका दिन', acknowledgementCompliance: 'समय पर पावती', resolutionCompliance: 'समय पर समाधान',
  byCategory: 'श्रेणी अनुसार', byRegion: 'क्षेत्र अनुसार', byMonth: 'माह अनुसार', byLevel: 'स्तर अनुसार आगे बढ़ाई गई', category: 'श्रेणी', region: 'क्षेत्र', month: 'माह', level: 'स्तर', cases: 'मामले', rows: 'पंक्तियाँ',
  suppressed: '{n} से कम संख्याएँ नहीं दिखाई गईं (—), ताकि किसी की पहचान न हो। संवेदनशील शिकायतें शामिल नहीं हैं।',
  project: 'परियोजना', priority: 'प्राथमिकता', code: 'ट्रैकिंग कोड', status: 'स्थिति', department: 'विभाग', submitted: 'प्राप्ति', due: 'समाधान की अंतिम तिथि', daysOpen: 'खुले दिन',
  byDepartment: 'विभाग अनुसार', byPriority: 'प्राथमिकता अनुसार', channel: 'माध्यम', low: 'निम्न', normal: 'सामान्य', high: 'उच्च', urgent: 'अत्यावश्यक',
  staffNote: 'आंतरिक आँकड़े, संवेदनशील शिकायतें शामिल। केवल आधिकारिक उपयोग के लिए; प्रकाशन हेतु नहीं।',
};

export const reportWords = (locale: string): ReportWords => ({ en: EN, fr: FR, hi: HI })[locale] ?? EN;
export const fill = (text: string, values: Record<string, string | number>) => text.replace(/\{(\w+)\}/g, (_, k) => String(values[k] ?? ''));
