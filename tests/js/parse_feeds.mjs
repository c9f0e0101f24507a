// Read iCalendar feeds with two independent JavaScript parsers and print, as JSON, what each
// makes of every event: {file: {"ical.js": {uid: start}, "node-ical": {uid: start}}}.
// A timed start is written in UTC ("2017-06-28T18:00:00Z"), an all-day start as its date.
// ical.js is Thunderbird's parser: it reads the feed's own VTIMEZONE. node-ical maps the TZID
// to the IANA zone of moment-timezone. Usage: node parse_feeds.mjs FILE...
// With --properties first, what each makes of how often to read the feed again and of every
// event's URL, TRANSP and STATUS instead:
// {file: {parser: {refresh: [REFRESH-INTERVAL, X-PUBLISHED-TTL], events: {uid: [url, transp, status]}}}}.
import { readFileSync } from "node:fs";
import ICAL from "ical.js";
import nodeIcal from "node-ical";

const pad = (n) => String(n).padStart(2, "0");
const utc = (date) => date.toISOString().replace(/\.\d{3}Z$/, "Z");
const day = (y, m, d) => `${y}-${pad(m)}-${pad(d)}`;

function withIcalJs(text) {
  const calendar = new ICAL.Component(ICAL.parse(text));
  for (const zone of calendar.getAllSubcomponents("vtimezone")) {
    ICAL.TimezoneService.register(zone);
  }
  const starts = {};
  for (const vevent of calendar.getAllSubcomponents("vevent")) {
    const event = new ICAL.Event(vevent);
    const start = event.startDate;
    starts[event.uid] = start.isDate
      ? day(start.year, start.month, start.day)
      : utc(start.toJSDate());
  }
  return starts;
}

function withNodeIcal(text) {
  const starts = {};
  for (const entry of Object.values(nodeIcal.sync.parseICS(text))) {
    if (entry.type !== "VEVENT") continue;
    const start = entry.start;
    starts[entry.uid] = start.dateOnly
      ? day(start.getFullYear(), start.getMonth() + 1, start.getDate())
      : utc(start);
  }
  return starts;
}

function propertiesWithIcalJs(text) {
  const calendar = new ICAL.Component(ICAL.parse(text));
  const value = (component, name) => {
    const found = component.getFirstPropertyValue(name);
    return found === null ? null : String(found);
  };
  const events = {};
  for (const vevent of calendar.getAllSubcomponents("vevent")) {
    events[value(vevent, "uid")] = ["url", "transp", "status"].map((n) => value(vevent, n));
  }
  const refresh = [value(calendar, "refresh-interval"), value(calendar, "x-published-ttl")];
  return { refresh, events };
}

function propertiesWithNodeIcal(text) {
  const parsed = nodeIcal.sync.parseICS(text);
  const events = {};
  for (const entry of Object.values(parsed)) {
    if (entry.type !== "VEVENT") continue;
    events[entry.uid] = [entry.url ?? null, entry.transparency ?? null, entry.status ?? null];
  }
  // node-ical keeps a calendar property with a parameter as an entry of its own, and drops
  // the X- of the others' names.
  const interval = parsed["refresh-interval"]?.val ?? null;
  return { refresh: [interval, parsed.vcalendar?.["PUBLISHED-TTL"] ?? null], events };
}

const properties = process.argv[2] === "--properties";
const out = {};
for (const file of process.argv.slice(properties ? 3 : 2)) {
  const text = readFileSync(file, "utf8");
  out[file] = properties
    ? { "ical.js": propertiesWithIcalJs(text), "node-ical": propertiesWithNodeIcal(text) }
    : { "ical.js": withIcalJs(text), "node-ical": withNodeIcal(text) };
}
process.stdout.write(JSON.stringify(out));
