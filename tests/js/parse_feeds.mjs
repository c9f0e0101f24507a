// Read iCalendar feeds with two independent JavaScript parsers and print, as JSON, what each
// makes of every event: {file: {"ical.js": {uid: start}, "node-ical": {uid: start}}}.
// A timed start is written in UTC ("2017-06-28T18:00:00Z"), an all-day start as its date.
// ical.js is Thunderbird's parser: it reads the feed's own VTIMEZONE. node-ical maps the TZID
// to the IANA zone of moment-timezone. Usage: node parse_feeds.mjs FILE...
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

const out = {};
for (const file of process.argv.slice(2)) {
  const text = readFileSync(file, "utf8");
  out[file] = { "ical.js": withIcalJs(text), "node-ical": withNodeIcal(text) };
}
process.stdout.write(JSON.stringify(out));
