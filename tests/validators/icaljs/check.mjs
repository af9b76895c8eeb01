// Test-only checker: reads .ics files the way Thunderbird/Nextcloud do (Mozilla ical.js)
// and reports what such a client would get wrong or silently "fix".
//
//   node check.mjs FILE...        (no FILE, or "-": read stdin)
//
// Prints one JSON object per input on its own line:
//   {"file": ..., "problems": [...], "events": {UID: {"start": ..., "end": ...}}}
// start/end are UTC instants ("2026-03-29T00:30:00Z") or plain dates for all-day events,
// so tests can assert the real time a client shows. Exit status 1 if any file has
// problems, 2 if the checker itself failed.
import { readFileSync } from "node:fs";
import ICAL from "ical.js";

// What ical.js turns a well-formed DATE / DATE-TIME into (jCal form). Anything else means
// the source value was malformed and ical.js parsed garbage instead of failing.
const JCAL_DATE = /^\d{4}-\d{2}-\d{2}$/;
const JCAL_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z?$/;

function utc(time) {
  if (time.isDate) return time.toString(); // all-day: a date, not an instant
  const seconds = time.toUnixTime();
  if (!Number.isFinite(seconds)) return null;
  return new Date(seconds * 1000).toISOString().replace(".000Z", "Z");
}

// Every property carrying TZID must resolve against the file's own VTIMEZONEs; otherwise
// ical.js quietly treats the time as floating (= UTC), i.e. hours off.
function checkTzids(component, problems) {
  if (component.name === "vtimezone") return;
  for (const prop of component.getAllProperties()) {
    const tzid = prop.getParameter("tzid");
    if (tzid && !ICAL.TimezoneService.has(tzid)) {
      problems.push(`${component.name.toUpperCase()} ${prop.name.toUpperCase()}: TZID ${tzid} cannot be resolved (no VTIMEZONE)`);
    }
  }
  for (const sub of component.getAllSubcomponents()) checkTzids(sub, problems);
}

function checkValues(component, problems) {
  for (const prop of component.getAllProperties()) {
    const type = prop.type;
    if (type !== "date" && type !== "date-time") continue;
    const pattern = type === "date" ? JCAL_DATE : JCAL_DATE_TIME;
    for (const raw of prop.jCal.slice(3)) {
      if (typeof raw !== "string" || !pattern.test(raw)) {
        problems.push(`${component.name.toUpperCase()} ${prop.name.toUpperCase()}: malformed ${type} value`);
      }
    }
  }
  for (const sub of component.getAllSubcomponents()) checkValues(sub, problems);
}

function checkEvent(vevent, problems, events) {
  const uid = vevent.getFirstPropertyValue("uid");
  const label = `VEVENT ${uid || "(no UID)"}`;
  for (const name of ["uid", "dtstamp", "dtstart"]) {
    if (!vevent.hasProperty(name)) problems.push(`${label}: missing ${name.toUpperCase()}`);
  }
  if (!vevent.hasProperty("dtstart")) return;
  const event = new ICAL.Event(vevent);
  const start = event.startDate;
  const end = event.endDate;
  if (end && start.compare(end) > 0) problems.push(`${label}: DTEND is before DTSTART`);
  const times = { start: utc(start), end: end ? utc(end) : null };
  if (times.start === null) problems.push(`${label}: DTSTART is not a valid time`);
  let key = uid || `(no UID #${Object.keys(events).length})`;
  if (vevent.hasProperty("recurrence-id")) key += `#${vevent.getFirstPropertyValue("recurrence-id")}`;
  events[key] = times;
}

function checkCalendar(vcalendar, problems, events) {
  if (vcalendar.name !== "vcalendar") {
    problems.push(`top-level component is ${vcalendar.name.toUpperCase()}, not VCALENDAR`);
    return;
  }
  if (!vcalendar.hasProperty("prodid")) problems.push("VCALENDAR: missing PRODID");
  if (vcalendar.getFirstPropertyValue("version") !== "2.0") problems.push("VCALENDAR: VERSION is not 2.0");
  // Fresh registry per file: only this file's VTIMEZONEs (plus ical.js's UTC/GMT/Z).
  ICAL.TimezoneService.reset();
  for (const vtz of vcalendar.getAllSubcomponents("vtimezone")) ICAL.TimezoneService.register(vtz);
  checkTzids(vcalendar, problems);
  checkValues(vcalendar, problems);
  for (const vevent of vcalendar.getAllSubcomponents("vevent")) checkEvent(vevent, problems, events);
}

export function checkText(text) {
  const problems = [];
  const events = {};
  try {
    let jcal = ICAL.parse(text);
    // ICAL.parse returns a bare component for one VCALENDAR, an array for several.
    if (jcal.length && typeof jcal[0] === "string") jcal = [jcal];
    if (jcal.length === 0) problems.push("no VCALENDAR found");
    for (const data of jcal) checkCalendar(new ICAL.Component(data), problems, events);
  } catch (err) {
    problems.push(`ical.js could not parse: ${err.message}`);
  }
  return { problems, events };
}

// Exit 1 means "problems found", so the checker's own failures (unreadable file, bug)
// must not exit 1 the way an uncaught exception would: they exit 2.
process.on("uncaughtException", (err) => {
  process.stderr.write(`check.mjs failed: ${err.stack || err}\n`);
  process.exit(2);
});

const args = process.argv.slice(2);
let failed = false;
for (const file of args.length ? args : ["-"]) {
  const text = readFileSync(file === "-" ? 0 : file, "utf8");
  const result = { file, ...checkText(text) };
  if (result.problems.length) failed = true;
  process.stdout.write(JSON.stringify(result) + "\n");
}
process.exit(failed ? 1 : 0);
