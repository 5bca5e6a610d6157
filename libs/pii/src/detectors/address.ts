import { boundaryBefore } from '../core/chars';
import { scoreWithContext, type ContextSpec } from '../core/context';
import { rewind, type Detector } from './detector';

// USPS street suffixes (and their common abbreviations) that follow a street name.
const SUFFIX =
  'Street|St|Avenue|Ave|Av|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Place|Pl|Square|Sq|' +
  'Terrace|Ter|Way|Parkway|Pkwy|Highway|Hwy|Circle|Cir|Trail|Trl|Close|Crescent|Grove|Alley|Anex|' +
  'Arcade|Bayou|Beach|Bend|Bluff|Bottom|Branch|Bridge|Brook|Burg|Bypass|Camp|Canyon|Cape|Causeway|' +
  'Center|Centre|Cliff|Club|Common|Corner|Course|Cove|Creek|Crest|Crossing|Crossroad|Curve|Dale|Dam|' +
  'Divide|Estate|Expressway|Extension|Fall|Ferry|Field|Flat|Ford|Forest|Forge|Fork|Fort|Freeway|' +
  'Garden|Gateway|Glen|Green|Harbor|Haven|Heights|Hill|Hollow|Inlet|Island|Isle|Junction|Key|Knoll|' +
  'Lake|Land|Landing|Light|Loaf|Lock|Lodge|Loop|Mall|Manor|Meadow|Mews|Mill|Mission|Motorway|Mount|' +
  'Mountain|Neck|Orchard|Oval|Overpass|Park|Pass|Passage|Path|Pike|Pine|Plain|Plaza|Point|Port|' +
  'Prairie|Radial|Ramp|Ranch|Rapid|Rest|Ridge|River|Route|Row|Rue|Run|Shoal|Shore|Skyway|Spring|Spur|' +
  'Station|Stravenue|Stream|Summit|Throughway|Trace|Track|Trafficway|Tunnel|Turnpike|Underpass|Union|' +
  'Valley|Via|Viaduct|View|Village|Ville|Vista|Walk|Wall|Well';
// No leading \b: it halves the regex engine's speed here; the boundary is checked by hand.
const STREET = new RegExp(
  `\\d{1,6}[A-Za-z]? (?:[NSEW]\\.? |North |South |East |West )?(?:[A-Z][a-z]{1,20}\\.? |\\d{1,3}(?:st|nd|rd|th) ){1,4}(?:${SUFFIX})s?\\b\\.?`,
  'g',
);
// German street names end in -straße/-strasse/-str.; the search starts at that literal and
// the capitalised word before it is checked by hand.
const GERMAN = /str(?:aße|asse|\.) ?\d{1,4}[a-z]?\b/y;
const GERMAN_NAME_END = /[A-ZÄÖÜ][a-zäöüß]{1,30}$/;
const UNIT = /,? (?:Apt\.?|Apartment|Suite|Ste\.?|Unit|Floor|Fl\.?|#) ?[A-Za-z0-9-]{1,6}\b/y;
const US_TAIL = /,? [A-Z][a-z]{1,20}(?: [A-Z][a-z]{1,20}){0,2},? [A-Z]{2},? \d{5}(?:-\d{4})?\b/y;
const UK_TAIL =
  /,? [A-Z][a-z]{1,20}(?: [A-Z][a-z]{1,20}){0,2},? [A-Z]{1,2}\d[A-Z\d]? \d[A-Z]{2}\b/y;
const CITY_TAIL = /, [A-Z][a-z]{1,20}(?: [A-Z][a-z]{1,20}){0,2}\b/y;
const DE_TAIL = /,? \d{5} [A-ZÄÖÜ][a-zäöüß]{2,30}\b/y;

const CONTEXT: ContextSpec = {
  words: [
    'address',
    'addr',
    'live at',
    'lives at',
    'living at',
    'located at',
    'ship to',
    'shipping',
    'deliver to',
    'delivery',
    'billing',
    'mailing',
    'reside',
    'resides',
    'residence',
    'home',
    'moved to',
    'visit us at',
    'office at',
    'send it to',
    'send to',
    'mail to',
    'located',
    'meet me at',
    'meet at',
    'pick up at',
    'drop off at',
    'adresse',
    'anschrift',
    'direccion',
    'wohnhaft',
  ],
  boost: 0.3,
  // "Top 10 Hill Stations", "Chapter 3 Mill Road": a count or a title, not a house number.
  negative: [
    'top',
    'best',
    'worst',
    'chapter',
    'section',
    'version',
    'step',
    'part',
    'page',
    'volume',
    'vol',
    'season',
    'episode',
    'level',
    'grade',
    'class',
    'room',
    'gate',
    'platform',
    'exit',
  ],
  penalty: 0.3,
  before: 64,
};

function extend(text: string, end: number, re: RegExp): number {
  re.lastIndex = end;
  const m = re.exec(text);
  return m ? end + m[0].length : end;
}

/**
 * Street addresses by shape: house number, one to four capitalised words and a USPS street
 * suffix (`221 Baker Street`), optionally a unit and a city/state/ZIP or UK postcode tail;
 * German `Hauptstraße 5[, 10115 Berlin]`. A bare street line scores 0.45, under the default
 * threshold: it needs an address word nearby (+0.3). A ZIP or postcode tail is context enough (0.75).
 */
export const addressDetector: Detector = {
  name: 'address',
  types: ['ADDRESS'],
  patterns: [STREET, GERMAN, UNIT, US_TAIL, UK_TAIL, CITY_TAIL, DE_TAIL],
  detect(text, out, ctx) {
    const street = rewind(STREET);
    let m: RegExpExecArray | null;
    while ((m = street.exec(text)) !== null) {
      const start = m.index;
      if (!boundaryBefore(text, start)) continue;
      let end = extend(text, start + m[0].length, UNIT);
      const tailed = Math.max(extend(text, end, US_TAIL), extend(text, end, UK_TAIL));
      let base = 0.45;
      if (tailed > end) {
        end = tailed;
        base = 0.75;
      } else {
        end = extend(text, end, CITY_TAIL);
      }
      out.push({
        type: 'ADDRESS',
        start,
        end,
        score: scoreWithContext(text, start, end, base, CONTEXT),
        rule: 'address.street',
      });
      street.lastIndex = end;
    }
    for (const cue of ctx.cues()) {
      if (cue.family !== 'street-de') continue;
      m = rewind(GERMAN, cue.at).exec(text);
      if (!m) continue;
      const head = GERMAN_NAME_END.exec(text.slice(Math.max(0, m.index - 31), m.index));
      if (!head) continue;
      const start = m.index - head[0].length;
      if (start > 0 && /[A-Za-zÀ-ÿ]/.test(text.charAt(start - 1))) continue;
      const streetEnd = m.index + m[0].length;
      const end = extend(text, streetEnd, DE_TAIL);
      const base = end > streetEnd ? 0.75 : 0.5;
      out.push({
        type: 'ADDRESS',
        start,
        end,
        score: scoreWithContext(text, start, end, base, CONTEXT),
        rule: 'address.de',
      });
    }
  },
};
