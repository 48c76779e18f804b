"""Short texts written for the tests (not from the seeds or the eval data): one English, and the
same news in other languages and scripts."""

ENGLISH = (
    "The company's revenue rose to 2.4 billion euros in the third quarter, the board said on Monday in Berlin. "
    "Shares gained four percent after the figures were published, and analysts spoke of a strong result for "
    "the year.\n"
)

FOREIGN = {
    "german": (
        "Der Umsatz des Unternehmens ist im dritten Quartal auf 2,4 Mrd. Euro gestiegen, wie der Vorstand am "
        "Montag in Berlin mitteilte. Die Aktie legte nach der Veröffentlichung der Zahlen um vier Prozent zu, "
        "und die Analysten sprachen von einem starken Ergebnis für das Jahr.\n"
    ),
    "french": (
        "Le chiffre d'affaires de l'entreprise a augmenté au troisième trimestre pour atteindre 2,4 milliards "
        "d'euros, a indiqué la direction lundi à Paris. L'action a progressé de quatre pour cent après la "
        "publication des résultats et les analystes ont salué une bonne année pour le groupe.\n"
    ),
    "spanish": (
        "Los ingresos de la empresa subieron a 2.400 millones de euros en el tercer trimestre, según informó "
        "el consejo el lunes en Madrid. Las acciones ganaron un cuatro por ciento tras la publicación de las "
        "cifras y los analistas hablaron de un resultado sólido para el año.\n"
    ),
    "chinese": "公司第三季度的营业收入增长到二十四亿欧元，董事会星期一在柏林表示。数据公布后股价上涨了百分之四，分析师称这是一个强劲的结果。\n",
    "russian": (
        "Выручка компании в третьем квартале выросла до 2,4 млрд евро, сообщило правление в понедельник "
        "в Берлине. После публикации данных акции подорожали на четыре процента.\n"
    ),
    "arabic": "ارتفعت إيرادات الشركة إلى مليارين وأربعمائة مليون يورو في الربع الثالث، حسبما أعلن مجلس الإدارة يوم الاثنين.\n",
}
