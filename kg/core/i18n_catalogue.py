"""Every text of the explorer's pages, in Chinese and English (see kg/i18n.py).

A key maps to ``(zh, en)``; ``{name}`` fields are filled in by the page and
must be the same in both. ``tests/test_i18n.py`` checks that every key has
both texts and that every key a template or the code uses is here.
"""

from __future__ import annotations

CATALOGUE: dict[str, tuple[str, str]] = {
    # -- frame of every page
    "site_title": ("临淄区政府工作报告知识图谱", "Linzi work report knowledge graph"),
    "nav_label": ("主导航", "Main navigation"),
    "nav_query": ("SPARQL 查询", "SPARQL query"),
    "nav_questions": ("命名查询", "Named questions"),
    "nav_network": ("网络图", "Network"),
    "nav_article": ("标注原文", "Annotated text"),
    "nav_checks": ("一致性检查", "Consistency checks"),
    "nav_followup": ("目标完成", "Follow-up"),
    "nav_compare": ("地区对比", "Compare areas"),
    "search_placeholder": ("搜索名称或原文", "Search names and the text"),
    "search_label": ("搜索名称或原文", "Search names and the text"),
    "search_button": ("搜索", "Search"),
    "footer_endpoint": ("SPARQL 端点", "SPARQL endpoint"),
    "footer_note": (
        "英文名称为编辑翻译；虚线和“编辑归类”为 linzi-kg 编辑的归类，非原文所述。",
        "English labels are translations; dashed and editorial links are classification by linzi-kg.",
    ),
    "home": ("首页", "Home"),
    # -- error pages
    "status_400": ("请求有误", "Bad request"),
    "status_403": ("不允许", "Forbidden"),
    "status_404": ("找不到", "Not found"),
    "status_406": ("无法提供该格式", "Not acceptable"),
    "status_408": ("请求超时", "Request timeout"),
    "status_413": ("请求过大", "Request too large"),
    "status_500": ("服务器内部错误", "Internal error"),
    "status_502": ("远端服务出错", "Bad gateway"),
    "status_503": ("暂时无法处理", "Service unavailable"),
    "status_other": ("出错了", "Error"),
    # -- home
    "documents": ("文档", "Documents"),
    "n_figures": ("{n} 项数据", "{n} figures"),
    "metadata": ("元数据", "metadata"),
    "graph_counts": (
        "{triples} 个三元组 · {figures} 项数据 · {spans} 处原文片段 · "
        "{statements} 条具化关系（其中编辑归类 {editorial} 条）",
        "{triples} triples · {figures} figures · {spans} source spans · {statements} reified relations"
        " ({editorial} editorial)",
    ),
    "start_here": ("从这里开始", "Start here"),
    "n_named_questions": ("{n} 个命名查询", "{n} named questions"),
    "write_sparql": ("编写 SPARQL", "Write SPARQL"),
    "the_network": ("网络图", "The network"),
    "read_article": ("阅读标注原文", "Read the annotated text"),
    "search_example": ("搜索示例：污水处理设施", "Search example: 污水处理设施 (sewage treatment facilities)"),
    "download": ("下载", "Download"),
    "what_the_graph_holds": ("各类实体", "What the graph holds"),
    "col_class": ("类", "Class"),
    "col_count": ("数量", "Count"),
    "level_national": ("国家", "national"),
    "level_province": ("省级", "province"),
    "level_city": ("市级", "city"),
    "level_district": ("区级", "district"),
    "level_county": ("县级", "county"),
    "level_town": ("乡镇", "town"),
    "kind_work-report": ("政府工作报告", "work report"),
    "kind_news-report": ("新闻报道", "news report"),
    "kind_plan": ("规划", "plan"),
    # -- class lists
    "class_count": ("共 {n} 个", "{n} in all"),
    "includes_subclasses": ("含子类", "subclasses included"),
    "col_name": ("名称", "Name"),
    "col_other_language": ("另一语言", "Other language"),
    # -- entity pages
    "read_annotated": ("阅读标注原文", "Read the annotated text"),
    "facts": ("属性", "Facts"),
    "figures": ("数据", "Figures"),
    "col_indicator": ("指标", "Indicator"),
    "col_actual_2022": ("2022年实际", "2022 actual"),
    "col_target_2023": ("2023年目标", "2023 target"),
    "col_specification": ("规模", "Specification"),
    "indicator_figures": ("历年数据", "Figures by year and status"),
    "indicator_figures_note": (
        "本指标的全部 {n} 项数据，按年份和类别排列（原文数值，未作换算）",
        "All {n} figures of this indicator, by year and status (as printed, not converted)",
    ),
    "indicator_chart_title": ("{name}：各年数据", "{name}: figures by year"),
    "counterparts": ("对照数据", "Counterparts"),
    "counterparts_note": (
        "同一地区同一指标的其他年份和类别（如2022年实际与2023年目标），以及增长指标所依据的水平",
        "The same indicator and area in other years and statuses (a 2022 actual beside a 2023 target),"
        " and the level a growth indicator grows from",
    ),
    "this_figure": ("本条", "this figure"),
    "related_level": ("（增长所依据的水平）", "(the level it grows from)"),
    "related_growth": ("（该水平的增长）", "(growth of this level)"),
    "col_year": ("年份", "Year"),
    "col_status": ("类别", "Status"),
    "col_figure": ("数据", "Figure"),
    "col_value": ("数值", "Value"),
    "col_area": ("地区", "Area"),
    "col_document": ("文档", "Document"),
    "status_actual": ("实际", "actual"),
    "status_estimate": ("预计", "estimate"),
    "status_target": ("目标", "target"),
    "status_specification": ("规模", "specification"),
    "checks": ("一致性检查", "Consistency checks"),
    "links": ("关系", "Links"),
    "linked_from": ("被引用", "Linked from"),
    "editorial_mark": ("（编辑归类）", "(editorial)"),
    "mentioned_in": ("提及文档", "Documents that mention it"),
    "where_stated": ("原文出处", "Where the text says so"),
    "n_spans": ("{n} 处", "{n} spans"),
    "show_in_article": ("在原文中查看", "Show in the text"),
    "in_the_text": ("原文", "in the text"),
    "network": ("网络", "Network"),
    "network_around": ("{name} 周围的网络", "The network around {name}"),
    "full_screen": ("全屏", "Full screen"),
    "entity_page": ("实体页", "entity page"),
    # -- named queries
    "named_questions": ("命名查询", "Named questions"),
    "col_question": ("问题", "Question"),
    "col_parameters": ("参数", "Parameters"),
    "run": ("运行", "Run"),
    "ambiguous_note": ("“{name}”可指以下实体，请选择一个：", "“{name}” may mean any of these; pick one:"),
    "not_found_note": ("没有名为“{name}”的实体。是否要找：", "No entity is called “{name}”. Did you mean:"),
    "suggest_entities": ("实体名称", "Entity names"),
    "suggest_documents": ("文档", "Documents"),
    "col_sentence": ("原文句子", "Sentence"),
    # -- query editor and results
    "sparql_query": ("SPARQL 查询", "SPARQL query"),
    "query_help": (
        "只读；已声明 lz: org: qb: schema: skos: 等前缀；时限 {timeout} 秒，最多 {rows} 行",
        "read-only; common prefixes (lz: org: qb: schema: skos: …) predeclared; time limit {timeout} s,"
        " at most {rows} rows",
    ),
    "examples": ("示例（命名查询）", "Examples (the named queries)"),
    "share": ("分享链接", "Link to this query"),
    "truncated": ("结果已截断：只显示前 {rows} 行", "Truncated to the first {rows} rows"),
    "yes": ("是", "yes"),
    "no": ("否", "no"),
    "rows": ("{n} 行", "{n} rows"),
    # -- search
    "search_title": ("搜索", "Search"),
    "colon": ("：", ": "),
    "search_help": (
        "在名称（中文、英文、原文用词）和原文中搜索，例如 齐鲁石化、污水处理设施。",
        "Search names (Chinese, English, the text's own wording) and the text itself, e.g. 齐鲁石化, 污水处理设施.",
    ),
    "search_summary": (
        "{names} 个名称匹配 · 共 {entities} 个实体 · 原文 {passages} 处",
        "found by name: {names} · entities in all: {entities} · places in the text: {passages}",
    ),
    "search_by_class": ("按类别", "By class"),
    "all_classes": ("全部", "All"),
    "search_entities": ("实体与数据", "Entities and figures"),
    "search_passages": ("原文中的出处", "In the text"),
    "search_more": ("另有 {n} 个未列出，请缩小范围", "{n} more not listed; narrow the search"),
    "stated_here": ("此处陈述", "stated here"),
    "no_match": ("没有匹配。", "No match."),
    "no_passage": ("原文中没有这段文字。", "The text does not contain it."),
    "match_exact": ("完全匹配", "exact match"),
    "match_prefix": ("开头匹配", "starts with it"),
    "match_part": ("包含", "contains it"),
    "match_text": ("原文此处陈述", "stated where the text has it"),
    # -- annotated article
    "the_text": ("原文", "Text"),
    "text_as_published": ("原文（按发表原样）", "The text as published"),
    "legend_entity": ("实体", "entity"),
    "legend_figure": ("数据", "figure"),
    "legend_relation": ("关系", "relation"),
    "marked_span": ("标记的片段", "Marked span"),
    "clear_mark": ("取消标记", "clear"),
    "paragraph_states": ("本段陈述（{n}）", "States ({n})"),
    # -- checks, follow-up, comparison
    "checks_intro": (
        "互相校验的数据：{figures} 项数据，{findings} 条结论，{alarms} 条警报。区间按印刷精度计算"
        "（94.3% 即 [94.25, 94.35)），并考虑以上、突破、以内、左右。与 linzi-kg check 相同；说明为英文。",
        "Figures that check each other: {findings} findings on {figures} figures, {alarms} alarm(s)."
        " Intervals respect printed precision (94.3% is [94.25, 94.35)) and 以上, 突破, 以内, 左右."
        " Same as linzi-kg check.",
    ),
    "suppressed": ("已复核", "reviewed (suppressed)"),
    "formula": ("公式", "Formula"),
    "followup_title": ("目标完成情况", "Targets followed to their results"),
    "followup_intro": (
        "每项目标与后一年报告（用 --data 加载）中同一地区、指标、年份的实绩对照。"
        "与 linzi-kg followup 相同；说明为英文。",
        "Each target beside the result of the same area, indicator and year in a later report"
        " (loaded with --data). Same as linzi-kg followup.",
    ),
    "col_outcome": ("结论", "Outcome"),
    "col_target": ("目标", "Target"),
    "col_result": ("实绩", "Result"),
    "col_why": ("说明", "Why"),
    "compare_intro": (
        "同一指标在各地区、各层级、各年份的数据，按各报告原文。命名查询 compare-areas 和 lower-level-targets。",
        "One indicator across areas, levels and years, as each report prints it."
        " Named queries compare-areas and lower-level-targets.",
    ),
    "compare_button": ("对比", "Compare"),
    "download_svg": ("下载 SVG 图", "Download the chart (SVG)"),
    "col_level": ("层级", "Level"),
    "col_lower": ("下级", "Lower level"),
    "col_upper": ("上级", "Upper level"),
    "col_compared": ("比较", "Compared"),
    "compared_higher": ("更高", "higher"),
    "compared_equal": ("相同", "equal"),
    "compared_lower": ("更低", "lower"),
    "compared_no-upper-target": ("上级无目标", "no upper target"),
    "lower_level_title": ("下级目标是否高于上级", "Does the lower level set a higher target?"),
    "lower_level_none": (
        "图谱中没有地区的本指标目标可与其上级地区的目标对照；请用 --data 加载市、省的报告。",
        "No area in the graph has a target of this indicator beside one of an area containing it;"
        " load the city's and province's reports with --data.",
    ),
    # -- the SPARQL workbench, table downloads, figures chart (issue 14, parts 5-7)
    # the SPARQL workbench (/query)
    "workbench": ("SPARQL 查询工作台", "SPARQL workbench"),
    "workbench_help": (
        "Ctrl+Enter 运行；Ctrl+空格 补全前缀、类和属性（来自本图谱，不联网）",
        "Ctrl+Enter runs; Ctrl+Space completes prefixes, classes and properties (from this graph, offline)",
    ),
    "running": ("正在查询…", "running…"),
    "took": ("用时 {ms} 毫秒", "{ms} ms"),
    # the result table's own texts (DataTables placeholders: _START_ _END_ _TOTAL_ _MAX_)
    "table_info": ("第 _START_–_END_ 行，共 _TOTAL_ 行", "rows _START_–_END_ of _TOTAL_"),
    "table_info_empty": ("0 行", "0 rows"),
    "table_filtered": ("（从 _MAX_ 行中筛选）", "(filtered from _MAX_)"),
    "table_empty": ("没有结果", "no results"),
    "table_none": ("没有匹配的行", "no matching rows"),
    "table_filter": ("筛选结果", "Filter the results"),
    "table_page_size": ("每页行数：", "Rows a page: "),
    # table downloads
    "download_table": ("下载表格", "Download the table"),
    "labels": ("名称", "Labels"),
    "labels_beside": ("名称列在 IRI 旁", "labels beside IRIs"),
    "labels_only": ("只要名称", "labels only"),
    "labels_none": ("只要 IRI", "IRIs only"),
    "excel_csv": ("供 Excel 打开的 CSV（UTF-8 带 BOM）", "CSV for Excel (UTF-8 with BOM)"),
    # the figures chart
    "figures_chart": ("2022年实际与2023年目标", "2022 results beside 2023 targets"),
    "figures_chart_note": (
        "每个指标一行；同一单位的条形同一比例；箭头：以上（≥）、突破（>）",
        "one row per indicator; bars of one unit share a scale; arrow: at least (≥), above (>)",
    ),
    "figures_chart_alt": (
        "各指标2022年实际与2023年目标条形图",
        "bar chart of each indicator's 2022 result and 2023 target",
    ),
    "actual_2022": ("2022年实际", "2022 result"),
    "target_2023": ("2023年目标", "2023 target"),
    "chart_download": ("下载 SVG", "Download SVG"),
    "source_line": ("来源", "Source"),
}

#: Known error messages (English, as the library raises them) and their Chinese:
#: a regular expression over the message's first line, and a template that
#: takes its groups in order. The English original is shown beside it.
ERRORS: list[tuple[str, str]] = [
    (r"^no entity is called (.+?) \(", "没有名为 {0} 的实体（请给出中文或英文名称，或 IRI）"),
    (r"^an entity name must not be empty", "实体名称不能为空"),
    (r"^(.+?) names (\d+) entities", "{0} 指 {1} 个实体，请选择一个"),
    (r"^(.+?) matches (\d+) entities", "{0} 与 {1} 个实体相符，请写得更具体"),
    (r"^no named query (.+?)(?:;|$)", "没有名为 {0} 的命名查询"),
    (r"^nothing is known about (.+)$", "图谱中没有关于 {0} 的任何信息"),
    (r"^no document (.+?)(?:;|$)", "没有文档 {0}"),
    (r"^the search text is longer than (\d+) characters", "搜索文字超过 {0} 个字符"),
    (r"^depth must be a whole number from (\d+) to (\d+)", "深度须为 {0} 到 {1} 之间的整数"),
    (r"^parameter (\w+): (.+?) is not an integer", "参数 {0}：{1} 不是整数"),
    (r"^parameter (\w+): (.+?) is not an IRI", "参数 {0}：{1} 不是 IRI"),
    (r"^query (.+?) has no parameter (.+?);", "查询 {0} 没有参数 {1}"),
    (r"^SPARQL syntax error at line (\d+), column (\d+)", "SPARQL 语法错误：第 {0} 行第 {1} 列"),
    (r"^SPARQL syntax error", "SPARQL 语法错误"),
    (r"^the indicator is longer than (\d+) characters", "指标名称超过 {0} 个字符"),
    (r"^the text of (.+?) is not loaded here", "此服务器没有加载 {0} 的原文；请用 --sources 目录 启动"),
    (r"^the graph holds no document", "图谱中没有文档"),
    (r"^no class (.+)$", "没有类 {0}"),
    (r"^no download (.+?);", "没有下载文件 {0}"),
    (r"^(?:query|the query) (?:took|ran) longer than", "查询超过时限"),
    (r".*\b(?:updates?|INSERT|DELETE|LOAD|CLEAR|DROP)\b.*(?:refused|not allowed|read-only)", "只读端点，不接受更新"),
    (r".*\bSERVICE\b", "不允许 SERVICE（不访问外部端点）"),
]
