import { describe, expect, test } from 'vitest';
import { parseSafeXml } from './safe-xml.ts';

describe('safe XML reader', () => {
  test('elements, attributes, text, CDATA, comments and processing instructions', () => {
    const r = parseSafeXml(
      '<?xml version="1.0"?><!-- c --><a x="1" y=\'two\'><b>hi</b><![CDATA[<raw>]]><?pi x?><c/></a>',
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.name).toBe('a');
    expect(r.value.attrs).toEqual({ x: '1', y: 'two' });
    expect(r.value.child('b')?.text()).toBe('hi');
    expect(r.value.rawText()).toBe('hi<raw>');
    expect(r.value.elements().map((e) => e.name)).toEqual(['b', 'c']);
  });

  test('the five XML entities and character references are decoded, in text and attributes', () => {
    const r = parseSafeXml('<a t="&lt;&amp;&quot;&#65;&#x42;">&gt;&apos;&#233;</a>');
    expect(r.ok && r.value.attr('t')).toBe('<&"AB');
    expect(r.ok && r.value.text()).toBe(">'é");
  });

  test('namespaces: HL7 v3 names are bare, sdtc/xsi keep their prefix whatever the document calls them', () => {
    const r = parseSafeXml(
      '<v3:ClinicalDocument xmlns:v3="urn:hl7-org:v3" xmlns:s="urn:hl7-org:sdtc" xmlns:i="http://www.w3.org/2001/XMLSchema-instance"><v3:value i:type="v3:PQ"/><s:raceCode/></v3:ClinicalDocument>',
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.name).toBe('ClinicalDocument');
    expect(r.value.child('value')?.xsiType).toBe('PQ');
    expect(r.value.child('sdtc:raceCode')).toBeDefined();
    expect(r.issues).toEqual([]);
  });

  test('undeclared xsi prefix and missing default namespace are read as usual, with warnings', () => {
    const r = parseSafeXml('<section><value xsi:type="CD"/></section>');
    expect(r.ok).toBe(true);
    expect(r.issues.map((i) => i.severity)).toEqual(['warning', 'warning']);
    expect(r.ok && r.value.child('value')?.xsiType).toBe('CD');
  });

  test.each([
    ['<a><b></a>', /end tag <\/a> does not match <b>/],
    ['<a></a><b/>', /second root element/],
    ['<a>', /element <a> is not closed/],
    ['<a x=1/>', /attribute x in <a> is not quoted/],
    ['<a x="1" x="2"/>', /attribute x appears twice/],
    ['<a>&</a>', /bare "&"/],
    ['<1a/>', /not a valid element name/],
    ['text<a/>', /text outside the root element/],
    ['', /empty/],
    ['<a>&#0;</a>', /not a valid character/],
  ])('%s is refused as not well-formed, with a position', (xml, says) => {
    const r = parseSafeXml(xml);
    expect(r.ok).toBe(false);
    expect(r.issues[0]!.code).toBe('structure');
    expect(r.issues[0]!.message).toMatch(says);
    expect(r.issues[0]!.path).toMatch(/^line \d+ column \d+$/);
  });

  test.each(['<!DOCTYPE a>', '<!ENTITY x "y">', '<!ELEMENT a ANY>', '<!ATTLIST a b CDATA #IMPLIED>'])(
    '%s is refused as a security issue before the root is read',
    (decl) => {
      const r = parseSafeXml(`<?xml version="1.0"?>\n${decl}\n<a/>`);
      expect(r.ok).toBe(false);
      expect(r.issues[0]).toMatchObject({ severity: 'error', code: 'security', path: 'line 2 column 1' });
    },
  );
});
