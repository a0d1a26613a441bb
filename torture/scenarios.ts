/** Built-in scenarios (scenarios/*.json). The fault-injection issue fills this out. */
export interface ScenarioInfo { name: string; description: string }

export function listScenarios(): ScenarioInfo[] {
  return [{ name: 'default', description: 'rcutorture-shaped readers, a writer and fakewriters, no injected faults' }];
}
