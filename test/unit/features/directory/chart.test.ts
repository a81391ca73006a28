// The growth chart's SVG: one point per figure, an accessible name and description, text escaped,
// nothing drawn for no figures, and the axis starting at zero.
import { expect } from 'chai';
import * as cheerio from 'cheerio';
import { growthChartSvg } from '../../../../src/features/directory/chart.js';

const labels = {
  title: 'Followers on <Bilibili> over time',
  summary: 'From 100 to 200 & more',
  date: (at: Date) => at.toISOString().slice(0, 10),
  count: (n: number) => String(n),
};

describe('growth chart SVG', function () {
  it('draws one point per figure with a title and description that name it', function () {
    const points = [
      { at: new Date('2026-07-01'), followers: 100 },
      { at: new Date('2026-08-01'), followers: 150 },
      { at: new Date('2026-09-01'), followers: 200 },
    ];
    const $ = cheerio.load(growthChartSvg('g1', points, labels), { xml: true });
    expect($('svg').attr('role')).to.equal('img');
    expect($('svg').attr('aria-labelledby')).to.equal('g1-title g1-desc');
    expect($('title#g1-title').text()).to.equal('Followers on <Bilibili> over time');
    expect($('desc#g1-desc').text()).to.equal('From 100 to 200 & more');
    expect($('circle')).to.have.length(3);
    expect($('polyline').attr('points')!.split(' ')).to.have.length(3);
    // later, bigger figures are drawn further right and higher up
    const ys = $('circle')
      .map((_i, el) => Number($(el).attr('cy')))
      .get();
    expect(ys[0]).to.be.greaterThan(ys[2]!);
    expect($('text').text()).to.include('2026-07-01').and.include('2026-09-01');
  });

  it('escapes markup and draws nothing without figures', function () {
    expect(growthChartSvg('g2', [], labels)).to.equal('');
    const svg = growthChartSvg('g3', [{ at: new Date('2026-07-01'), followers: 0 }], labels);
    expect(svg).to.not.include('<Bilibili>');
    expect(svg).to.include('&#60;Bilibili&#62;');
    expect(svg).to.not.include('polyline');
    expect(svg).to.not.include('style=');
  });
});
