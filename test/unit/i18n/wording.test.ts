// One word for one thing across the portal: the alliance's pledge is 承诺书 / 承諾書 / pledge on
// its own pages, so no message (a notification, a mail, the navigation) may call it 公约 / 公約.
import { expect } from 'chai';
import { catalogueLanguages, leafKeys, loadCatalogue, lookupKey } from '../../../src/i18n/catalogue.js';

const pledgeWords = { 'zh-CN': '承诺书', 'zh-TW': '承諾書', en: 'pledge' } as const;
const otherWords = /公约|公約|convention|covenant/i;

function messages(language: (typeof catalogueLanguages)[number]): [string, string][] {
  const tree = loadCatalogue(language);
  return leafKeys(tree).map((key) => [key, String(lookupKey(tree, key))]);
}

describe('message catalogue: wording', function () {
  it('calls the pledge by one name in every language', function () {
    for (const language of catalogueLanguages) {
      const all = messages(language);
      expect(
        all.filter(([, text]) => otherWords.test(text)).map(([key]) => key),
        language,
      ).to.deep.equal([]);
      const word = pledgeWords[language];
      const named = (key: string) => all.find(([k]) => k === key)?.[1] ?? '';
      expect(named('notifications.kinds.pledge.newVersion.title'), language).to.contain(word);
      expect(named('notifications.settings.kinds.pledge.newVersion'), language).to.contain(word);
    }
  });
});
