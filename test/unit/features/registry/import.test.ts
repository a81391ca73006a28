// The bulk import's reader: the office's spreadsheets (CSV in the encodings Excel writes, XLSX)
// become creators with accounts, and every bad cell is named by row and column.
import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import writeXlsxFile from 'write-excel-file/node';
import {
  maxImportRows,
  parseImportFile,
  parseImportGrid,
} from '../../../../src/features/registry/import/index.js';
import {
  declaredUnpackedBytes,
  maxXlsxUnpackedBytes,
} from '../../../../src/features/registry/import/zipGuard.js';

const secUid = 'MS4wLjABAAAAv7iSuuXDJGDvJkmH_vz1qkDZYo1apxgzaxdBSeIuPiM';
const header = ['display_name', 'kind', 'street', 'categories', 'platform', 'account'];

function csv(rows: string[][]): Buffer {
  return Buffer.from(
    rows.map((row) => row.map((cell) => `"${cell.replace(/"/g, '""')}"`).join(',')).join('\r\n'),
  );
}

/** Errors as "row column key" lines: easy to read in a failing assertion. */
function errorLines(preview: Awaited<ReturnType<typeof parseImportFile>>): string[] {
  return preview.errors.map(
    (error) =>
      `${error.row} ${error.column ?? '-'} ${error.messageKey.replace(/^registry\./, '')}${error.params ? ` ${JSON.stringify(error.params)}` : ''}`,
  );
}

describe('registry import: reading spreadsheets', function () {
  it('reads the published template without a single error', async function () {
    const template = readFileSync(
      new URL('../../../../public/templates/registry-import.csv', import.meta.url),
    );
    const preview = await parseImportFile(template);
    expect(preview.errors).to.deep.equal([]);
    expect(preview.rowCount).to.equal(5);
    expect(preview.creators.map((creator) => [creator.displayName, creator.accounts.length])).to.deep.equal([
      ['坪山之眼', 3],
      ['李高兴', 2],
    ]);
    const [eye, li] = preview.creators;
    expect(eye).to.deep.include({
      row: 2,
      kind: 'organisation',
      street: 'pingshan',
      categories: ['culture_tourism', 'news'],
      contactPhone: '075584001234',
      contactWechat: 'pingshaneye',
      contactEmail: 'contact@example.org',
    });
    expect(eye?.accounts.map((account) => [account.row, account.platform, account.platformId])).to.deep.equal(
      [
        [2, 'weibo', '5044281310'],
        [3, 'bilibili', '546195'],
        [4, 'wechat_oa', 'gh_0123456789ab'],
      ],
    );
    expect(eye?.accounts[0]).to.include({ accountName: '坪山之眼', followers: 128000 });
    expect(li).to.deep.include({ kind: 'person', street: 'longtian', categories: ['food', 'lifestyle'] });
    expect(li?.accounts[0]).to.include({ platform: 'douyin', platformId: secUid, followers: 56000 });
  });

  it('publishes an XLSX template that reads exactly as the CSV template', async function () {
    const template = (name: string) =>
      readFileSync(new URL(`../../../../public/templates/${name}`, import.meta.url));
    const [fromCsv, fromXlsx] = await Promise.all([
      parseImportFile(template('registry-import.csv')),
      parseImportFile(template('registry-import.xlsx')),
    ]);
    expect(fromXlsx.errors).to.deep.equal([]);
    expect(fromXlsx).to.deep.equal(fromCsv);
  });

  it('refuses cells that a spreadsheet would run as a formula', async function () {
    const preview = await parseImportFile(
      csv([
        [...header, 'bio', 'account_name'],
        ['=HYPERLINK("http://evil.example")', '', 'pingshan', '', 'bilibili', '546195', '', ''],
        ['坪山之眼', '', 'pingshan', '', 'bilibili', '546196', '@SUM(1+1)', '-2+3'],
        ['坪山印象', '', 'pingshan', '', 'bilibili', '546197', '＝1+1', ''],
      ]),
    );
    expect(errorLines(preview)).to.deep.equal([
      '2 display_name registryImport.errors.formula',
      '3 bio registryImport.errors.formula',
      '3 account_name registryImport.errors.formula',
      '4 bio registryImport.errors.formula',
    ]);
  });

  it('reads an XLSX sheet with Traditional Chinese headers and ids typed as numbers', async function () {
    const sheet = [
      ['名稱', '類型', '街道', '分類', '平台', '帳號主頁或 ID', '粉絲數'],
      ['坪山同鎮', '機構', '龍田街道', '新聞資訊', '嗶哩嗶哩', 3493118494116797, 1234],
      ['坪山同鎮', null, null, null, 'B站', 'https://m.bilibili.com/space/546195', null],
    ].map((row) => row.map((value) => (value === null ? null : { value })));
    const data = await writeXlsxFile(sheet).toBuffer();
    const preview = await parseImportFile(data);
    expect(preview.errors).to.deep.equal([]);
    expect(preview.creators).to.have.length(1);
    expect(preview.creators[0]).to.deep.include({
      displayName: '坪山同鎮',
      kind: 'organisation',
      street: 'longtian',
    });
    expect(preview.creators[0]?.accounts.map((account) => account.platformId)).to.deep.equal([
      '3493118494116797',
      '546195',
    ]);
  });

  it('reads CSV saved as GB18030 and as UTF-16 tab-separated text, with English headers', async function () {
    const rows = [
      ['Name', 'Kind', 'Street', 'Categories', 'Platform', 'Profile address or id'],
      ['坪山印象', 'Person', '碧岭', '文化旅游; food', 'Weibo', 'https://m.weibo.cn/profile/1195230310'],
    ];
    // Node's TextEncoder only writes UTF-8: the GB18030 bytes of the Chinese cells are spelled out
    const gbText = Buffer.concat([
      Buffer.from('Name,Kind,Street,Categories,Platform,Profile address or id\r\n'),
      Buffer.from([0xc6, 0xba, 0xc9, 0xbd, 0xd3, 0xa1, 0xcf, 0xf3]), // 坪山印象
      Buffer.from(',Person,'),
      Buffer.from([0xb1, 0xcc, 0xc1, 0xeb]), // 碧岭
      Buffer.from(',food,Weibo,https://m.weibo.cn/profile/1195230310\r\n'),
    ]);
    const fromGb = await parseImportFile(gbText);
    expect(fromGb.errors).to.deep.equal([]);
    expect(fromGb.creators[0]).to.deep.include({ displayName: '坪山印象', street: 'biling' });

    const utf16 = Buffer.concat([
      Buffer.from([0xff, 0xfe]),
      Buffer.from(rows.map((row) => row.join('\t')).join('\r\n'), 'utf16le'),
    ]);
    const fromUtf16 = await parseImportFile(utf16);
    expect(fromUtf16.errors).to.deep.equal([]);
    expect(fromUtf16.creators[0]).to.deep.include({
      displayName: '坪山印象',
      categories: ['culture_tourism', 'food'],
    });
  });

  it('names every bad cell by row and column, and keeps the good rows', async function () {
    const rows = `display_name,kind,street,categories,platform,account,contact_phone,contact_email,contact_wechat,followers,bio
坪山之眼,机构,坪山,新闻资讯,微博,https://weibo.com/u/5044281310,,,,,
,个人,坪山,,微博,https://weibo.com/u/1195230310,,,,,
张三,个人,南山,,抖音,https://v.douyin.com/iRNBho6u/,,,,,
李四,外星人,坑梓,美食、天文,myspace,https://myspace.com/lisi,call me,no-at-sign,1x,1.2万,
王五,个人,石井,"新闻资讯,美食,体育,教育",抖音,https://space.bilibili.com/546195,,,,,
坪山之眼,,坑梓,,哔哩哔哩,https://weibo.com/u/5044281310,,,,,
赵六,个人,马峦,,微博,https://weibo.com/u/5044281310,,,,,
<b>钱七</b>,个人,马峦,,微博,javascript:alert(1),,,,,
孙八,个人,马峦,,x,@sun_ba,,,,,${'x'.repeat(10_000)}`;
    const preview = await parseImportFile(Buffer.from(rows));
    expect(errorLines(preview)).to.deep.equal([
      '3 display_name import.errors.required',
      '4 street import.errors.invalid_street',
      '4 account profileRefusals.short_link {"platform":"douyin"}',
      '5 kind import.errors.invalid_kind',
      '5 categories import.errors.invalid_category {"value":"天文"}',
      '5 contact_phone import.errors.invalid_phone',
      '5 contact_wechat import.errors.invalid_wechat',
      '5 contact_email import.errors.invalid_email',
      '5 platform import.errors.invalid_platform',
      '5 followers import.errors.invalid_followers',
      '6 categories import.errors.too_many_categories {"max":3}',
      '6 account profileRefusals.wrong_platform {"platform":"bilibili"}',
      '7 street import.errors.conflicting_creator {"row":2}',
      '7 account profileRefusals.wrong_platform {"platform":"weibo"}',
      '8 account import.errors.duplicate_account {"row":2}',
      '9 display_name import.errors.plain_text',
      '9 account profileRefusals.scheme_not_allowed',
      '10 bio import.errors.too_long {"max":500}',
    ]);
    expect(preview.rowCount).to.equal(9);
    // the one good account; 赵六 is a valid creator whose only account is refused
    expect(
      preview.creators.flatMap((creator) => creator.accounts.map((account) => account.row)),
    ).to.deep.equal([2]);
    expect(preview.creators.map((creator) => creator.displayName)).to.deep.equal(['坪山之眼', '赵六']);
  });

  it('refuses files without the required columns, without rows, with too many rows, or unreadable', async function () {
    const missing = await parseImportFile(
      csv([
        ['名称', '街道'],
        ['坪山之眼', '坪山'],
      ]),
    );
    expect(errorLines(missing)).to.deep.equal([
      '1 - import.errors.missing_columns {"columns":"platform, account"}',
    ]);
    expect(errorLines(await parseImportFile(csv([header, ['', '', '', '', '', '']])))).to.deep.equal([
      '1 - import.errors.file_empty',
    ]);
    expect(errorLines(await parseImportFile(Buffer.alloc(0)))).to.deep.equal([
      '0 - import.errors.file_empty',
    ]);
    const many = Array.from({ length: maxImportRows + 1 }, (_, i) => [
      `创作者${i}`,
      '',
      '坪山',
      '',
      '微博',
      `${1000000000 + i}`,
    ]);
    expect(errorLines(parseImportGrid([header, ...many]))).to.deep.equal([
      '1 - import.errors.too_many_rows {"max":2000}',
    ]);
    const legacyXls = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0]);
    expect(errorLines(await parseImportFile(legacyXls))).to.deep.equal(['0 - import.errors.file_unreadable']);
    const xlsx = await writeXlsxFile([[{ value: 'display_name' }]]).toBuffer();
    expect(errorLines(await parseImportFile(xlsx.subarray(0, 300)))).to.deep.equal([
      '0 - import.errors.file_unreadable',
    ]);
  });
});

describe('registry import: XLSX archives that declare too much', function () {
  it('refuses an archive whose directory declares more than a spreadsheet needs, before unpacking', async function () {
    const xlsx = await writeXlsxFile([[{ value: 'display_name' }], [{ value: '坪山之眼' }]]).toBuffer();
    const declared = declaredUnpackedBytes(xlsx);
    expect(declared).to.be.a('number').above(0).and.below(maxXlsxUnpackedBytes);

    // the same archive, its sheet's entry now claiming 4 GB (what a zip bomb's directory says)
    const bomb = Buffer.from(xlsx);
    const entry = bomb.lastIndexOf(Buffer.from('xl/worksheets/sheet1.xml')) - 46;
    expect(bomb.readUInt32LE(entry)).to.equal(0x02014b50);
    bomb.writeUInt32LE(0xfffffffe, entry + 24);
    expect(declaredUnpackedBytes(bomb)).to.be.above(maxXlsxUnpackedBytes);
    expect(errorLines(await parseImportFile(bomb))).to.deep.equal(['0 - import.errors.file_unreadable']);
  });
});
