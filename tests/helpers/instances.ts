/** Child-process application instances for the suites that need several (see scripts/crash/instances.ts). */
export { freePort, killInstance, restartInstance, sleep, startInstance, stopInstance } from '../../scripts/crash/instances';
export type { Instance } from '../../scripts/crash/instances';
