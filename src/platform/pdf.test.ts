import { scriptRuns } from './pdf';

describe('script runs', () => {
  it('leaves Latin text alone', () => {
    expect(scriptRuns('Grievance DIST-1')).toEqual([{ text: 'Grievance DIST-1' }]);
  });
  it('gives Devanagari words their font, keeping codes and digits in Latin', () => {
    expect(scriptRuns('शिकायत की पावती DIST-20261121-ABC')).toEqual([
      { text: 'शिकायत की पावती', font: 'Deva' },
      { text: ' DIST-20261121-ABC' },
    ]);
  });
});
