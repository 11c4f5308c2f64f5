import { startTestRoster, type TestRoster } from '../../helpers/roster';

/**
 * A real Roster on the test database (the console is mounted at /admin by the app itself), addressed by its
 * PUBLIC_URL (http://localhost:<port>): what the browser opens, and what SAML and SCIM URLs use.
 */
export type ConsoleRoster = TestRoster;

export async function startConsoleRoster(): Promise<ConsoleRoster> {
  const roster = await startTestRoster();
  return { ...roster, url: roster.publicUrl };
}
