/**
 * `?fake=1`: the page runs the replaying engine (app/replay/fake-engine.ts), which trains nothing
 * and replays made-up runs. Read once; the page labels everything it shows as a replay.
 */
export const replayMode = new URLSearchParams(window.location.search).get('fake') === '1';
