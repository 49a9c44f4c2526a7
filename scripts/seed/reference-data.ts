/**
 * Demo reference data: two projects as a district administration and a financed infrastructure
 * project would configure them. Names carry en, fr and hi (Devanagari) so every downstream part
 * is exercised with a non-Latin script.
 */
import type { Priority } from '../../src/domain/vocabulary';

export type Localised = { en: string; fr: string; hi: string };

export interface ProjectSeed {
  code: string;
  name: Localised;
  type: 'district_administration' | 'infrastructure_project';
  timezone: string;
  autoCloseDays: number;
  appealWindowDays: number;
  smallCountThreshold: number;
  reportRecipients: string[];
  regions: RegionSeed[];
  departments: Array<{ code: string; name: Localised }>;
  categories: Array<{
    code: string;
    name: Localised;
    department: string;
    priority: Priority;
    sensitive?: boolean;
    keywords: string[];
    intakeFields?: Array<{ code: string; label: string; datatype: string; required: boolean; allowedValues?: string[] }>;
    descriptions: string[];
  }>;
  slaLevels: Array<{
    order: number;
    name: Localised;
    acknowledgeWithinHours: number | null;
    resolveWithinHours: number | null;
    remindBeforeHours: number;
    calendar: 'business' | 'calendar';
    regionLevel: number;
  }>;
  holidays: Array<{ date: string; name: string }>;
}

export interface RegionSeed {
  code: string;
  name: Localised;
  levelName: Localised;
  children?: RegionSeed[];
}

const L = (en: string, fr: string, hi: string): Localised => ({ en, fr, hi });

const level = {
  province: L('Province', 'Province', 'प्रांत'),
  district: L('District', 'District', 'ज़िला'),
  block: L('Block', 'Bloc', 'प्रखंड'),
  village: L('Village', 'Village', 'गाँव'),
  section: L('Road section', 'Tronçon', 'सड़क खंड'),
  site: L('Work site', 'Chantier', 'कार्य स्थल'),
};

const villages = (prefix: string, names: Array<[string, string]>): RegionSeed[] =>
  names.map(([en, hi], i) => ({ code: `${prefix}-V${i + 1}`, name: L(en, en, hi), levelName: level.village }));

const INDIAN_HOLIDAYS = [
  { date: '2026-01-26', name: 'Republic Day' },
  { date: '2026-03-04', name: 'Holi' },
  { date: '2026-05-01', name: 'Labour Day' },
  { date: '2026-08-15', name: 'Independence Day' },
  { date: '2026-10-02', name: 'Gandhi Jayanti' },
  { date: '2026-11-08', name: 'Diwali' },
  { date: '2026-12-25', name: 'Christmas' },
  { date: '2027-01-26', name: 'Republic Day' },
  { date: '2027-03-22', name: 'Holi' },
  { date: '2027-05-01', name: 'Labour Day' },
];

export const PROJECTS: ProjectSeed[] = [
  {
    code: 'DIST',
    name: L('Riverside District Administration', 'Administration du district de Riverside', 'रिवरसाइड ज़िला प्रशासन'),
    type: 'district_administration',
    timezone: 'Asia/Kolkata',
    autoCloseDays: 7,
    appealWindowDays: 14,
    smallCountThreshold: 5,
    reportRecipients: ['collector@demo.local'],
    regions: [
      {
        code: 'DIST-P1',
        name: L('Eastern Province', 'Province orientale', 'पूर्वी प्रांत'),
        levelName: level.province,
        children: [
          {
            code: 'DIST-D1',
            name: L('Riverside', 'Riverside', 'रिवरसाइड'),
            levelName: level.district,
            children: [
              { code: 'DIST-B1', name: L('Northbank', 'Rive nord', 'उत्तरी तट'), levelName: level.block, children: villages('DIST-B1', [['Amarpur', 'अमरपुर'], ['Belgaon', 'बेलगाँव'], ['Chandanpur', 'चंदनपुर']]) },
              { code: 'DIST-B2', name: L('Southbank', 'Rive sud', 'दक्षिणी तट'), levelName: level.block, children: villages('DIST-B2', [['Dharampur', 'धरमपुर'], ['Ekdala', 'एकडाला'], ['Fatehgarh', 'फ़तेहगढ़']]) },
              { code: 'DIST-B3', name: L('Hillside', 'Coteau', 'पहाड़ी क्षेत्र'), levelName: level.block, children: villages('DIST-B3', [['Ganeshpur', 'गणेशपुर'], ['Haripur', 'हरिपुर'], ['Islampur', 'इस्लामपुर']]) },
            ],
          },
        ],
      },
    ],
    departments: [
      { code: 'WATER', name: L('Water Supply and Sanitation', 'Eau et assainissement', 'जल आपूर्ति एवं स्वच्छता') },
      { code: 'ROADS', name: L('Roads and Public Works', 'Routes et travaux publics', 'सड़क एवं लोक निर्माण') },
      { code: 'HEALTH', name: L('Health', 'Santé', 'स्वास्थ्य') },
      { code: 'REVENUE', name: L('Revenue and Land Records', 'Recettes et cadastre', 'राजस्व एवं भू-अभिलेख') },
    ],
    categories: [
      {
        code: 'DIST-WATER-SUPPLY', name: L('No or irregular water supply', "Pas d'eau ou approvisionnement irrégulier", 'पानी की आपूर्ति नहीं या अनियमित'),
        department: 'WATER', priority: 'high', keywords: ['water', 'tap', 'supply', 'पानी', 'eau'],
        intakeFields: [{ code: 'connection_number', label: 'Water connection number', datatype: 'string', required: false }],
        descriptions: [
          'No water in the public tap of our lane for {n} days. Families are buying water from tankers.',
          'Water comes only for twenty minutes at 4 am; the elderly cannot fill their containers.',
          'हमारे मोहल्ले में {n} दिनों से नल में पानी नहीं आ रहा है। कृपया जल्दी ठीक करें।',
          "Le robinet public de notre rue est à sec depuis {n} jours.",
        ],
      },
      {
        code: 'DIST-WATER-QUALITY', name: L('Dirty or unsafe drinking water', 'Eau potable sale ou dangereuse', 'गंदा या असुरक्षित पेयजल'),
        department: 'WATER', priority: 'urgent', keywords: ['dirty', 'smell', 'contaminated', 'गंदा'],
        descriptions: [
          'The tap water is brown and smells of sewage. Children in {n} houses have diarrhoea.',
          'Sewage line is leaking into the drinking water pipe near the school.',
          'नल का पानी पीला और बदबूदार है, बच्चे बीमार हो रहे हैं।',
        ],
      },
      {
        code: 'DIST-ROAD-DAMAGE', name: L('Damaged road or pothole', 'Route endommagée ou nid-de-poule', 'टूटी सड़क या गड्ढा'),
        department: 'ROADS', priority: 'normal', keywords: ['road', 'pothole', 'सड़क', 'route'],
        descriptions: [
          'Large pothole in front of the primary school; two motorcycles fell this week.',
          'The village approach road washed away in the rain; the ambulance could not reach us.',
          'स्कूल के सामने सड़क पर बड़ा गड्ढा है, {n} लोग गिर चुके हैं।',
          'La route du marché est impraticable depuis les pluies.',
        ],
      },
      {
        code: 'DIST-STREETLIGHT', name: L('Street light not working', 'Éclairage public en panne', 'स्ट्रीट लाइट खराब'),
        department: 'ROADS', priority: 'low', keywords: ['light', 'lamp', 'dark', 'बत्ती'],
        descriptions: ['{n} street lights on the main road have not worked for a month; women avoid the road after dark.'],
      },
      {
        code: 'DIST-HEALTH-SERVICE', name: L('Health centre services', 'Services du centre de santé', 'स्वास्थ्य केंद्र सेवाएँ'),
        department: 'HEALTH', priority: 'high', keywords: ['doctor', 'medicine', 'hospital', 'डॉक्टर'],
        descriptions: [
          'The primary health centre had no doctor on {n} days this month.',
          'Free medicines are out of stock; patients are told to buy them outside.',
          'प्राथमिक स्वास्थ्य केंद्र में दवाइयाँ नहीं मिल रही हैं।',
        ],
      },
      {
        code: 'DIST-LAND-RECORDS', name: L('Land records and mutation', 'Cadastre et mutations', 'भू-अभिलेख एवं नामांतरण'),
        department: 'REVENUE', priority: 'normal', keywords: ['land', 'mutation', 'record', 'ज़मीन'],
        intakeFields: [{ code: 'plot_number', label: 'Plot or survey number', datatype: 'string', required: true }],
        descriptions: [
          'Mutation application pending for {n} months after my father passed away.',
          'My name is spelt wrongly in the land record; correction not done despite two visits.',
        ],
      },
      {
        code: 'DIST-GBV', name: L('Gender-based violence or harassment', 'Violence fondée sur le genre ou harcèlement', 'लिंग आधारित हिंसा या उत्पीड़न'),
        department: 'HEALTH', priority: 'urgent', sensitive: true, keywords: ['harassment', 'violence', 'उत्पीड़न'],
        descriptions: ['Confidential complaint of harassment. Details to be taken by the designated officer only.'],
      },
    ],
    slaLevels: [
      { order: 1, name: L('Department officer', 'Agent du service', 'विभागीय अधिकारी'), acknowledgeWithinHours: 48, resolveWithinHours: 168, remindBeforeHours: 24, calendar: 'business', regionLevel: 3 },
      { order: 2, name: L('Head of department', 'Chef de service', 'विभागाध्यक्ष'), acknowledgeWithinHours: 24, resolveWithinHours: 168, remindBeforeHours: 24, calendar: 'business', regionLevel: 2 },
      { order: 3, name: L('District Collector', 'Préfet de district', 'ज़िला कलेक्टर'), acknowledgeWithinHours: 24, resolveWithinHours: 360, remindBeforeHours: 48, calendar: 'business', regionLevel: 2 },
    ],
    holidays: INDIAN_HOLIDAYS,
  },
  {
    code: 'HWAY',
    name: L('Eastern Highway Improvement Project', "Projet d'amélioration de la route de l'Est", 'पूर्वी राजमार्ग सुधार परियोजना'),
    type: 'infrastructure_project',
    timezone: 'Asia/Kolkata',
    autoCloseDays: 7,
    appealWindowDays: 14,
    smallCountThreshold: 5,
    reportRecipients: ['piu@demo.local', 'safeguards@demo.local'],
    regions: [
      {
        code: 'HWAY-P1',
        name: L('Eastern Province', 'Province orientale', 'पूर्वी प्रांत'),
        levelName: level.province,
        children: [1, 2].map((d) => ({
          code: `HWAY-D${d}`,
          name: d === 1 ? L('Riverside', 'Riverside', 'रिवरसाइड') : L('Stonebridge', 'Pont-de-Pierre', 'स्टोनब्रिज'),
          levelName: level.district,
          children: [1, 2].map((s) => ({
            code: `HWAY-D${d}-S${s}`,
            name: L(`Section ${d}${s} (km ${(d - 1) * 40 + (s - 1) * 20}–${(d - 1) * 40 + s * 20})`, `Tronçon ${d}${s}`, `खंड ${d}${s}`),
            levelName: level.section,
            children: [1, 2].map((w) => ({
              code: `HWAY-D${d}-S${s}-W${w}`,
              name: L(`Camp ${d}${s}${w}`, `Camp ${d}${s}${w}`, `शिविर ${d}${s}${w}`),
              levelName: level.site,
            })),
          })),
        })),
      },
    ],
    departments: [
      { code: 'CONSTR', name: L('Construction supervision', 'Supervision des travaux', 'निर्माण पर्यवेक्षण') },
      { code: 'RESETTLE', name: L('Land acquisition and resettlement', 'Acquisition foncière et réinstallation', 'भूमि अधिग्रहण एवं पुनर्वास') },
      { code: 'SAFEGUARD', name: L('Environmental and social safeguards', 'Sauvegardes environnementales et sociales', 'पर्यावरणीय एवं सामाजिक सुरक्षा') },
    ],
    categories: [
      {
        code: 'HWAY-COMPENSATION', name: L('Compensation for land or assets', 'Indemnisation des terres ou biens', 'भूमि या संपत्ति का मुआवज़ा'),
        department: 'RESETTLE', priority: 'high', keywords: ['compensation', 'land', 'payment', 'मुआवज़ा'],
        intakeFields: [{ code: 'award_number', label: 'Award or survey number', datatype: 'string', required: false }],
        descriptions: [
          'Compensation for my {n} trees cut for the road widening has not been paid.',
          'The rate fixed for my shop is far below the market value; I request a review.',
          'मेरी ज़मीन का मुआवज़ा {n} महीने से लंबित है।',
        ],
      },
      {
        code: 'HWAY-DUST-NOISE', name: L('Dust, noise or night work', 'Poussière, bruit ou travaux de nuit', 'धूल, शोर या रात का काम'),
        department: 'SAFEGUARD', priority: 'normal', keywords: ['dust', 'noise', 'night', 'धूल'],
        descriptions: [
          'Trucks from the crusher plant raise dust all day; no water sprinkling near the school.',
          'Blasting at night near the village; cracks appeared in {n} houses.',
          'Bruit des engins toute la nuit près du camp.',
        ],
      },
      {
        code: 'HWAY-PROPERTY-DAMAGE', name: L('Damage to property by works', 'Dommages aux biens causés par les travaux', 'कार्य से संपत्ति को नुकसान'),
        department: 'CONSTR', priority: 'high', keywords: ['damage', 'crack', 'wall', 'नुकसान'],
        descriptions: ['The contractor\'s excavator broke our boundary wall and the irrigation channel.'],
      },
      {
        code: 'HWAY-ACCESS', name: L('Access blocked or unsafe crossing', 'Accès bloqué ou traversée dangereuse', 'रास्ता बंद या असुरक्षित पार'),
        department: 'CONSTR', priority: 'normal', keywords: ['access', 'blocked', 'crossing', 'रास्ता'],
        descriptions: ['The diversion has closed the only path to the market for {n} weeks.', 'No safe crossing for school children at the new embankment.'],
      },
      {
        code: 'HWAY-WORKER', name: L('Worker conditions and safety', 'Conditions de travail et sécurité', 'श्रमिक स्थितियाँ एवं सुरक्षा'),
        department: 'SAFEGUARD', priority: 'high', keywords: ['wage', 'worker', 'safety', 'मज़दूरी'],
        descriptions: ['Labourers at the camp have not received wages for {n} weeks.', 'Workers on the bridge have no helmets or harnesses.'],
      },
      {
        code: 'HWAY-GBV-SEA', name: L('Gender-based violence, sexual exploitation or abuse', 'Violence fondée sur le genre, exploitation ou abus sexuels', 'लिंग आधारित हिंसा, यौन शोषण या दुर्व्यवहार'),
        department: 'SAFEGUARD', priority: 'urgent', sensitive: true, keywords: ['harassment', 'abuse', 'शोषण'],
        descriptions: ['Confidential report received through the GBV service provider.'],
      },
    ],
    slaLevels: [
      { order: 1, name: L('Site focal person', 'Point focal du chantier', 'स्थल संपर्क अधिकारी'), acknowledgeWithinHours: 24, resolveWithinHours: 48, remindBeforeHours: 8, calendar: 'calendar', regionLevel: 4 },
      { order: 2, name: L('Project Implementation Unit (PIU)', "Unité de mise en œuvre du projet (UMOP)", 'परियोजना कार्यान्वयन इकाई (PIU)'), acknowledgeWithinHours: 24, resolveWithinHours: 168, remindBeforeHours: 24, calendar: 'business', regionLevel: 2 },
      { order: 3, name: L('Grievance Redress Committee (GRC)', 'Comité de règlement des griefs (CRG)', 'शिकायत निवारण समिति (GRC)'), acknowledgeWithinHours: 48, resolveWithinHours: 360, remindBeforeHours: 48, calendar: 'business', regionLevel: 1 },
      { order: 4, name: L('Legal redress (courts)', 'Recours judiciaire', 'न्यायिक निवारण'), acknowledgeWithinHours: null, resolveWithinHours: null, remindBeforeHours: 0, calendar: 'calendar', regionLevel: 1 },
    ],
    holidays: INDIAN_HOLIDAYS,
  },
];

export interface StaffSeed {
  email: string;
  firstname: string;
  lastname: string;
  role: 'super-admin' | 'grm-project-admin' | 'grm-department-head' | 'grm-officer' | 'grm-intake-clerk' | 'grm-viewer';
  projects: string[];
  departments: string[];
  regions?: string[];
  headOf?: string[];
  /** SLA levels the person is focal point for (`<project>-L<order>`): escalated cases go to them. */
  levels?: string[];
}

export const STAFF: StaffSeed[] = [
  { email: 'admin@demo.local', firstname: 'Asha', lastname: 'Rao', role: 'super-admin', projects: ['DIST', 'HWAY'], departments: [] },
  { email: 'project.admin@demo.local', firstname: 'Priya', lastname: 'Nair', role: 'grm-project-admin', projects: ['DIST'], departments: [], levels: ['DIST-L3'] },
  { email: 'piu.admin@demo.local', firstname: 'Grace', lastname: 'Owusu', role: 'grm-project-admin', projects: ['HWAY'], departments: [], levels: ['HWAY-L3'] },
  { email: 'head.water@demo.local', firstname: 'Harish', lastname: 'Kumar', role: 'grm-department-head', projects: ['DIST'], departments: ['WATER'], headOf: ['WATER'], levels: ['DIST-L2'] },
  { email: 'head.roads@demo.local', firstname: 'Meena', lastname: 'Iyer', role: 'grm-department-head', projects: ['DIST'], departments: ['ROADS'], headOf: ['ROADS'], levels: ['DIST-L2'] },
  { email: 'head.piu@demo.local', firstname: 'Daniel', lastname: 'Mensah', role: 'grm-department-head', projects: ['HWAY'], departments: ['CONSTR', 'RESETTLE', 'SAFEGUARD'], headOf: ['CONSTR', 'RESETTLE', 'SAFEGUARD'], levels: ['HWAY-L2'] },
  { email: 'officer.water@demo.local', firstname: 'Omar', lastname: 'Sheikh', role: 'grm-officer', projects: ['DIST'], departments: ['WATER'], levels: ['DIST-L1'] },
  { email: 'officer.roads@demo.local', firstname: 'Ravi', lastname: 'Patel', role: 'grm-officer', projects: ['DIST'], departments: ['ROADS'], levels: ['DIST-L1'] },
  { email: 'officer.health@demo.local', firstname: 'Fatima', lastname: 'Begum', role: 'grm-officer', projects: ['DIST'], departments: ['HEALTH', 'REVENUE'], levels: ['DIST-L1'] },
  { email: 'focal.site@demo.local', firstname: 'Sunil', lastname: 'Das', role: 'grm-officer', projects: ['HWAY'], departments: ['CONSTR', 'RESETTLE', 'SAFEGUARD'], regions: ['HWAY-P1'], levels: ['HWAY-L1'] },
  { email: 'intake@demo.local', firstname: 'Lata', lastname: 'Joshi', role: 'grm-intake-clerk', projects: ['DIST', 'HWAY'], departments: [] },
  { email: 'viewer@demo.local', firstname: 'Claire', lastname: 'Martin', role: 'grm-viewer', projects: ['DIST', 'HWAY'], departments: [] },
];

/** The officer who works each department's cases in the demo. */
export const DEMO_ASSIGNEE: Record<string, string> = {
  WATER: 'officer.water@demo.local',
  ROADS: 'officer.roads@demo.local',
  HEALTH: 'officer.health@demo.local',
  REVENUE: 'officer.health@demo.local',
  CONSTR: 'focal.site@demo.local',
  RESETTLE: 'focal.site@demo.local',
  SAFEGUARD: 'focal.site@demo.local',
};

export { TEMPLATES } from './templates';
