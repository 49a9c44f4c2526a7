import { isConnectionLoss } from './database-outage';

describe('telling a database outage from a bug', () => {
  it('recognises what pg and PostgreSQL say when the server goes away', () => {
    for (const reason of [
      new Error('select distinct "t0".* from "departments" as "t0" - Connection terminated unexpectedly'),
      new Error('Connection Error: Connection ended unexpectedly'),
      Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }),
      Object.assign(new Error('the database system is starting up'), { code: '57P03' }),
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
    ]) {
      expect([reason.message, isConnectionLoss(reason)]).toEqual([reason.message, true]);
    }
  });

  it('leaves every other failure to end the process as usual', () => {
    for (const reason of [new TypeError("Cannot read properties of undefined (reading 'id')"), new Error('duplicate key value violates unique constraint'), 'plain string', undefined]) {
      expect(isConnectionLoss(reason)).toBe(false);
    }
  });
});
