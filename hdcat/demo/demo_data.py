# ruff: noqa: E501
"""Hand-written data tables of the hdcat demo catalog (read by build_demo.py).

Everything here is invented demo content about Chinese health and medical scientific data:
the institutions are real kinds of publishers, but the datasets, people, grant numbers,
identifiers and papers are examples (example.org hosts, 10.5555 test DOIs for papers).
No real personal data.
"""

# ---------------------------------------------------------------------------------------------
# Agents: id, kind (org|person), zh name, en name, publisher type (adms publishertype local name
# or None), homepage, contact email.
# ---------------------------------------------------------------------------------------------
AGENTS = [
    ("nphdc", "org", "国家人口健康科学数据中心", "National Population Health Data Center", "NationalAuthority", "https://www.ncmi.cn/", "service@ncmi.cn"),
    ("ngdc", "org", "国家基因组科学数据中心", "National Genomics Data Center", "NationalAuthority", "https://ngdc.example.org/", "data-service@ngdc.example.org"),
    ("gdhdp", "org", "广东省健康医疗大数据平台", "Guangdong Provincial Health and Medical Big Data Platform", "RegionalAuthority", "https://gdhdp.example.org/", "data@gdhdp.example.org"),
    ("zjhdp", "org", "浙江省健康医疗大数据平台", "Zhejiang Provincial Health and Medical Big Data Platform", "RegionalAuthority", "https://zjhdp.example.org/", "data@zjhdp.example.org"),
    ("schdp", "org", "四川省健康医疗大数据平台", "Sichuan Provincial Health and Medical Big Data Platform", "RegionalAuthority", "https://schdp.example.org/", "data@schdp.example.org"),
    ("pumch", "org", "北京协和医院", "Peking Union Medical College Hospital", "Academia-ScientificOrganisation", "https://pumch.example.org/", "research-data@pumch.example.org"),
    ("wchscu", "org", "四川大学华西医院", "West China Hospital, Sichuan University", "Academia-ScientificOrganisation", "https://wchscu.example.org/", "research-data@wchscu.example.org"),
    ("ruijin", "org", "上海交通大学医学院附属瑞金医院", "Ruijin Hospital, Shanghai Jiao Tong University School of Medicine", "Academia-ScientificOrganisation", "https://ruijin.example.org/", "research-data@ruijin.example.org"),
    ("chinacdc", "org", "中国疾病预防控制中心", "Chinese Center for Disease Control and Prevention", "NationalAuthority", "https://chinacdc.example.org/", "data@chinacdc.example.org"),
    ("gdcdc", "org", "广东省疾病预防控制中心", "Guangdong Provincial Center for Disease Control and Prevention", "RegionalAuthority", "https://gdcdc.example.org/", "data@gdcdc.example.org"),
    ("pkusph", "org", "北京大学公共卫生学院", "Peking University School of Public Health", "Academia-ScientificOrganisation", "https://pkusph.example.org/", "data@pkusph.example.org"),
    ("fudan", "org", "复旦大学", "Fudan University", "Academia-ScientificOrganisation", "https://fudan.example.org/", "research-data@fudan.example.org"),
    ("cams", "org", "中国医学科学院", "Chinese Academy of Medical Sciences", "Academia-ScientificOrganisation", "https://cams.example.org/", "data@cams.example.org"),
    ("zjcdc", "org", "浙江省疾病预防控制中心", "Zhejiang Provincial Center for Disease Control and Prevention", "RegionalAuthority", "https://zjcdc.example.org/", "data@zjcdc.example.org"),
    ("most", "org", "中华人民共和国科学技术部", "Ministry of Science and Technology of the People's Republic of China", "NationalAuthority", "https://most.example.org/", "contact@most.example.org"),
    ("nsfc", "org", "国家自然科学基金委员会", "National Natural Science Foundation of China", "NationalAuthority", "https://nsfc.example.org/", "contact@nsfc.example.org"),
    # invented researchers (common Chinese names, no real persons intended)
    ("wang-jianguo", "person", "王建国", "Wang Jianguo", None, None, None),
    ("li-xiaoyan", "person", "李晓燕", "Li Xiaoyan", None, None, None),
    ("zhang-wei", "person", "张伟", "Zhang Wei", None, None, None),
    ("liu-yang", "person", "刘洋", "Liu Yang", None, None, None),
    ("chen-jing", "person", "陈静", "Chen Jing", None, None, None),
    ("yang-fan", "person", "杨帆", "Yang Fan", None, None, None),
    ("zhao-min", "person", "赵敏", "Zhao Min", None, None, None),
    ("huang-lei", "person", "黄磊", "Huang Lei", None, None, None),
    ("zhou-ting", "person", "周婷", "Zhou Ting", None, None, None),
    ("wu-hao", "person", "吴浩", "Wu Hao", None, None, None),
    ("xu-li", "person", "徐丽", "Xu Li", None, None, None),
    ("sun-zhiqiang", "person", "孙志强", "Sun Zhiqiang", None, None, None),
    ("hu-jia", "person", "胡佳", "Hu Jia", None, None, None),
    ("guo-tao", "person", "郭涛", "Guo Tao", None, None, None),
]

# The health data access body for a publisher (national bodies and hospitals go through NPHDC,
# provincial publishers through their provincial platform, genomic data through NGDC).
HDAB_OF = {
    "nphdc": "nphdc", "ngdc": "ngdc", "gdhdp": "gdhdp", "gdcdc": "gdhdp", "zjhdp": "zjhdp",
    "zjcdc": "zjhdp", "schdp": "schdp", "wchscu": "schdp", "pumch": "nphdc", "ruijin": "nphdc",
    "chinacdc": "nphdc", "pkusph": "nphdc", "fudan": "nphdc", "cams": "nphdc",
}

# ---------------------------------------------------------------------------------------------
# Funding projects: key -> (zh title, en title, grant number, funder)
# ---------------------------------------------------------------------------------------------
FUNDING = {
    "nkrd-precision": ("国家重点研发计划“精准医学研究”重点专项：糖尿病并发症专病队列研究", "National Key R&D Program of China, Precision Medicine Research: diabetes complications cohort", "2016YFC0901200", "most"),
    "nkrd-chronic": ("国家重点研发计划“重大慢性非传染性疾病防控研究”重点专项：脑卒中防治", "National Key R&D Program of China, Prevention and Control of Major Chronic Non-communicable Diseases: stroke", "2018YFC1311700", "most"),
    "nkrd-aging": ("国家重点研发计划“主动健康和老龄化科技应对”重点专项", "National Key R&D Program of China, Active Health and Ageing Technologies", "2020YFC2006300", "most"),
    "nkrd-biosafety": ("国家重点研发计划“生物安全关键技术研发”重点专项：呼吸道传染病监测预警", "National Key R&D Program of China, Biosafety Key Technologies: respiratory infection surveillance and early warning", "2021YFC2301500", "most"),
    "nkrd-repro": ("国家重点研发计划“生殖健康及重大出生缺陷防控研究”重点专项", "National Key R&D Program of China, Reproductive Health and Major Birth Defects Prevention", "2018YFC1002900", "most"),
    "nkrd-data": ("国家重点研发计划“健康医疗大数据”共性技术研究", "National Key R&D Program of China, common technologies for health and medical big data", "2019YFC0118800", "most"),
    "nsfc-dm": ("国家自然科学基金面上项目：2型糖尿病微血管并发症预测模型研究", "NSFC General Program: prediction models of microvascular complications of type 2 diabetes", "81973143", "nsfc"),
    "nsfc-stroke": ("国家自然科学基金面上项目：西南地区缺血性卒中预后影响因素研究", "NSFC General Program: determinants of ischaemic stroke outcome in south-west China", "82173618", "nsfc"),
    "nsfc-flu": ("国家自然科学基金重点项目：流感样病例监测数据的时空预警方法", "NSFC Key Program: spatio-temporal early-warning methods for influenza-like illness surveillance", "82041021", "nsfc"),
    "nsfc-air": ("国家自然科学基金面上项目：细颗粒物短期暴露与人群死亡关联研究", "NSFC General Program: short-term PM2.5 exposure and population mortality", "82273721", "nsfc"),
    "nsfc-genome": ("国家自然科学基金重大研究计划：中国人群遗传变异图谱", "NSFC Major Research Plan: genetic variation map of the Chinese population", "92268201", "nsfc"),
    "nsfc-young-pk": ("国家自然科学基金青年科学基金项目：中国健康人群药代动力学特征", "NSFC Young Scientists Fund: pharmacokinetic characteristics in healthy Chinese volunteers", "82003530", "nsfc"),
    "nsfc-micro": ("国家自然科学基金面上项目：肠道菌群与糖代谢紊乱", "NSFC General Program: gut microbiota and glucose metabolism disorders", "82170853", "nsfc"),
    "nsfc-mental": ("国家自然科学基金面上项目：青少年抑郁的早期识别", "NSFC General Program: early identification of adolescent depression", "82371512", "nsfc"),
}

# ---------------------------------------------------------------------------------------------
# Variables: name | zh title | en title | zh description | en description | csvw datatype
# ---------------------------------------------------------------------------------------------
COLUMNS_TABLE = """
pid|研究对象编号|Subject ID|去标识化后的研究对象假名编号|Pseudonymised subject identifier|string
sex|性别|Sex|性别代码（GB/T 2261.1）|Sex code (GB/T 2261.1)|string
age|年龄|Age|调查或就诊时的年龄（岁）|Age in completed years at survey or visit|integer
age_group|年龄组|Age group|5 岁一组的年龄分组|Five-year age band|string
region|地区|Region|省级或地市级行政区划代码（GB/T 2260）|Province- or prefecture-level division code (GB/T 2260)|string
county|区县|County|县级行政区划代码|County-level division code|string
year|年份|Year|统计年份|Statistical year|gYear
week|周次|Week|ISO 周次|ISO week number|integer
month|月份|Month|统计月份（YYYY-MM）|Statistical month (YYYY-MM)|gYearMonth
visit_month|就诊月份|Visit month|门诊或入院日期，已粗化到月|Outpatient or admission date coarsened to the month|gYearMonth
diag_icd10|主要诊断编码|Principal diagnosis|主要诊断 ICD-10 编码（GB/T 14396）|Principal diagnosis, ICD-10 code (GB/T 14396)|string
hba1c|糖化血红蛋白|HbA1c|糖化血红蛋白（%）|Glycated haemoglobin (%)|decimal
fpg|空腹血糖|Fasting glucose|空腹血浆葡萄糖（mmol/L）|Fasting plasma glucose (mmol/L)|decimal
sbp|收缩压|Systolic BP|收缩压（mmHg）|Systolic blood pressure (mmHg)|integer
dbp|舒张压|Diastolic BP|舒张压（mmHg）|Diastolic blood pressure (mmHg)|integer
bmi|体质指数|BMI|体质指数（kg/m²）|Body mass index (kg/m²)|decimal
egfr|估算肾小球滤过率|eGFR|CKD-EPI 公式估算（mL/min/1.73m²）|Estimated GFR, CKD-EPI (mL/min/1.73m²)|decimal
creatinine|血肌酐|Serum creatinine|血清肌酐（μmol/L）|Serum creatinine (μmol/L)|decimal
complication|并发症类型|Complication|视网膜病变、肾病、周围神经病变、糖尿病足等|Retinopathy, nephropathy, peripheral neuropathy, diabetic foot, etc.|string
nihss|NIHSS 评分|NIHSS score|入院时美国国立卫生研究院卒中量表评分|NIH Stroke Scale score at admission|integer
stroke_type|卒中亚型|Stroke subtype|TOAST 分型|TOAST subtype|string
mrs90|90 天 mRS|mRS at 90 days|发病 90 天改良 Rankin 量表评分|Modified Rankin Scale at 90 days|integer
tsh|促甲状腺激素|TSH|促甲状腺激素（mIU/L）|Thyroid-stimulating hormone (mIU/L)|decimal
ft4|游离甲状腺素|FT4|游离甲状腺素（pmol/L）|Free thyroxine (pmol/L)|decimal
loinc|检验项目编码|Test code|检验项目 LOINC 编码|LOINC code of the test|string
result_value|检验结果|Result value|检验结果数值|Numeric test result|decimal
ref_low|参考区间下限|Lower reference limit|第 2.5 百分位数|2.5th percentile|decimal
ref_high|参考区间上限|Upper reference limit|第 97.5 百分位数|97.5th percentile|decimal
ili_cases|流感样病例数|ILI cases|哨点医院报告的流感样病例数|ILI cases reported by sentinel hospitals|integer
ili_pct|流感样病例百分比|ILI%|流感样病例占门急诊就诊总数的百分比|ILI as a percentage of outpatient and emergency visits|decimal
flu_pos|流感病毒阳性率|Influenza positivity|网络实验室检测阳性率（%）|Positivity rate in network laboratories (%)|decimal
subtype|流感亚型|Influenza subtype|A(H1N1)pdm09、A(H3N2)、B(Victoria) 等|A(H1N1)pdm09, A(H3N2), B(Victoria), etc.|string
cases|病例数|Cases|报告病例数|Reported cases|integer
incidence|发病率|Incidence rate|每 10 万人口发病率|Incidence per 100,000 population|decimal
deaths|死亡数|Deaths|死亡人数|Number of deaths|integer
mortality|死亡率|Mortality rate|每 10 万人口死亡率|Deaths per 100,000 population|decimal
cost_total|总费用|Total cost|医疗总费用（元）|Total medical cost (CNY)|decimal
cost_fund|医保基金支付|Fund payment|医保统筹基金支付金额（元）|Amount paid by the pooled insurance fund (CNY)|decimal
insurance_type|医保类型|Insurance scheme|城镇职工基本医疗保险或城乡居民基本医疗保险|Urban employee or urban-rural resident basic medical insurance|string
los|住院天数|Length of stay|住院天数（天）|Length of hospital stay (days)|integer
ldl|低密度脂蛋白胆固醇|LDL-C|低密度脂蛋白胆固醇（mmol/L）|LDL cholesterol (mmol/L)|decimal
smoking|吸烟状况|Smoking status|从不、既往、现在吸烟|Never, former or current smoker|string
phys_act|身体活动量|Physical activity|每周代谢当量（MET-min/week）|Weekly metabolic equivalents (MET-min/week)|decimal
gest_week|孕周|Gestational age|分娩时孕周（周）|Gestational age at delivery (weeks)|integer
birth_weight|出生体重|Birth weight|新生儿出生体重（g）|Birth weight (g)|integer
screen_result|新生儿筛查结果|Newborn screening result|苯丙酮尿症、先天性甲减及听力筛查结果|Results of PKU, congenital hypothyroidism and hearing screening|string
variant_id|变异位点|Variant|chr:pos:ref:alt（GRCh38）|chr:pos:ref:alt (GRCh38)|string
gene|基因|Gene|HGNC 基因符号|HGNC gene symbol|string
allele_freq|等位基因频率|Allele frequency|人群等位基因频率|Population allele frequency|decimal
hpo|表型|Phenotype|人类表型本体（HPO）术语|Human Phenotype Ontology term|string
drug_name|药品通用名|Drug name|药品通用名称|Generic drug name|string
atc|ATC 编码|ATC code|WHO 解剖学治疗学化学分类编码|WHO Anatomical Therapeutic Chemical code|string
adr_term|不良反应名称|Adverse reaction|不良反应术语（MedDRA 首选语）|Adverse reaction term (MedDRA preferred term)|string
severity|严重程度|Severity|一般或严重|Non-serious or serious|string
ddd|抗菌药物使用强度|Antibiotic use density|每 100 人天限定日剂量数（DDDs）|Defined daily doses per 100 patient-days|decimal
price|中选价格|Winning price|集中采购中选单价（元）|Winning unit price in centralised procurement (CNY)|decimal
hospital_level|医院等级|Hospital grade|三级、二级、一级|Tertiary, secondary or primary|string
beds|实有床位数|Beds|年末实有床位数|Beds at year end|integer
doctors|执业（助理）医师数|Physicians|年末执业（助理）医师数|Licensed (assistant) physicians at year end|integer
nurses|注册护士数|Nurses|年末注册护士数|Registered nurses at year end|integer
coverage|接种率|Coverage|适龄儿童接种率（%）|Coverage among eligible children (%)|decimal
vaccine|疫苗|Vaccine|国家免疫规划疫苗名称|National Immunisation Programme vaccine|string
pm25|PM2.5 浓度|PM2.5|日均 PM2.5 浓度（μg/m³）|Daily mean PM2.5 concentration (μg/m³)|decimal
temp|日均气温|Mean temperature|日均气温（℃）|Daily mean temperature (°C)|decimal
cause_icd10|根本死因|Underlying cause|根本死因 ICD-10 编码|Underlying cause of death, ICD-10 code|string
sofa|SOFA 评分|SOFA score|入 ICU 24 小时序贯器官衰竭评分|Sequential Organ Failure Assessment score within 24 h of ICU admission|integer
lactate|血乳酸|Lactate|血乳酸（mmol/L）|Blood lactate (mmol/L)|decimal
outcome28|28 天结局|28-day outcome|存活或死亡|Alive or dead at day 28|string
troponin|高敏肌钙蛋白 T|hs-cTnT|高敏心肌肌钙蛋白 T（ng/L）|High-sensitivity cardiac troponin T (ng/L)|decimal
pci|是否行 PCI|PCI|是否行经皮冠状动脉介入治疗|Whether percutaneous coronary intervention was performed|boolean
sleep_min|睡眠时长|Sleep duration|夜间睡眠时长（分钟）|Night-time sleep duration (minutes)|integer
steps|日步数|Daily steps|每日步数|Steps per day|integer
hr_rest|静息心率|Resting heart rate|静息心率（次/分）|Resting heart rate (beats/min)|integer
phq9|PHQ-9 评分|PHQ-9 score|患者健康问卷抑郁量表评分|Patient Health Questionnaire-9 score|integer
adl|日常生活能力|ADL score|Barthel 指数|Barthel index|integer
mmse|MMSE 评分|MMSE score|简易精神状态检查评分|Mini-Mental State Examination score|integer
dmft|龋失补牙数|DMFT|恒牙龋失补牙数|Decayed, missing and filled permanent teeth|integer
vital_capacity|肺活量|Vital capacity|肺活量（mL）|Vital capacity (mL)|integer
run50|50 米跑|50 m sprint|50 米跑成绩（秒）|50 m sprint time (s)|decimal
ogtt2h|OGTT 2 小时血糖|OGTT 2-h glucose|75 g 口服葡萄糖耐量试验 2 小时血糖（mmol/L）|2-hour glucose in 75 g OGTT (mmol/L)|decimal
gdm|妊娠糖尿病|GDM|是否诊断妊娠糖尿病（IADPSG 标准）|Gestational diabetes diagnosis (IADPSG criteria)|boolean
rhythm|心律诊断|Rhythm label|心电图心律诊断标签|ECG rhythm label|string
qtc|QTc 间期|QTc|校正 QT 间期（ms）|Corrected QT interval (ms)|integer
fat_pct|体脂率|Body fat|生物电阻抗法体脂百分比（%）|Body fat percentage by bioimpedance (%)|decimal
muscle_kg|骨骼肌量|Skeletal muscle|骨骼肌量（kg）|Skeletal muscle mass (kg)|decimal
dust_years|接尘工龄|Dust exposure years|累计接尘工龄（年）|Cumulative years of dust exposure|decimal
pn_stage|尘肺分期|Pneumoconiosis stage|GBZ 70 诊断分期|Stage according to GBZ 70|string
treatment_outcome|治疗转归|Treatment outcome|治愈、完成疗程、失败、失访等|Cured, completed, failed, lost to follow-up, etc.|string
afp|甲胎蛋白|AFP|血清甲胎蛋白（ng/mL）|Serum alpha-fetoprotein (ng/mL)|decimal
protein_id|蛋白编号|Protein|UniProt 登录号|UniProt accession|string
abundance|蛋白丰度|Abundance|log2 转换后的定量强度|log2-transformed quantitative intensity|decimal
mutation|耐药突变|Resistance mutation|HIV-1 耐药相关突变|HIV-1 drug-resistance mutation|string
cd4|CD4 计数|CD4 count|CD4+ T 淋巴细胞计数（个/μL）|CD4+ T-cell count (cells/μL)|integer
bp_controlled|血压控制达标|BP controlled|最近一次随访血压 <140/90 mmHg|Last follow-up blood pressure below 140/90 mmHg|boolean
follow_ups|随访次数|Follow-up visits|年度随访服务次数|Follow-up services per year|integer
contracted|签约人数|Contracted residents|家庭医生签约居民数|Residents contracted with a family doctor|integer
auc|AUC0-∞|AUC0-inf|药时曲线下面积（ng·h/mL）|Area under the concentration-time curve (ng·h/mL)|decimal
cmax|峰浓度|Cmax|血药峰浓度（ng/mL）|Peak plasma concentration (ng/mL)|decimal
dose|剂量|Dose|给药剂量（mg/kg）|Administered dose (mg/kg)|decimal
genotype|基因型|Genotype|CYP2C9 与 VKORC1 基因型|CYP2C9 and VKORC1 genotypes|string
inr|INR|INR|国际标准化比值|International normalised ratio|decimal
taxon|菌属|Genus|细菌属名（NCBI Taxonomy）|Bacterial genus (NCBI Taxonomy)|string
rel_abund|相对丰度|Relative abundance|菌属相对丰度|Relative abundance of the genus|decimal
lineage|Pango 谱系|Pango lineage|SARS-CoV-2 Pango 谱系|SARS-CoV-2 Pango lineage|string
collection_month|采样月份|Collection month|标本采集月份|Month of specimen collection|gYearMonth
cigarettes|日吸烟量|Cigarettes per day|现在吸烟者每日吸烟支数|Cigarettes per day among current smokers|integer
serotype|血清型|Serotype|登革病毒血清型（DENV-1 至 DENV-4）|Dengue virus serotype (DENV-1 to DENV-4)|string
onset_week|发病周|Onset week|发病日期所在 ISO 周|ISO week of symptom onset|integer
nodule_mm|结节直径|Nodule diameter|最大结节平均直径（mm）|Mean diameter of the largest nodule (mm)|decimal
lung_rads|Lung-RADS 分类|Lung-RADS|Lung-RADS 1.1 分类|Lung-RADS v1.1 category|string
ckd_stage|CKD 分期|CKD stage|KDIGO 分期|KDIGO stage|string
disease_code|罕见病编码|Rare disease code|《第一批罕见病目录》编号与 ORPHA 编码|Number in the first national rare disease list and ORPHA code|string
pathogen|病原体|Pathogen|检出病原体|Detected pathogen|string
crp|C 反应蛋白|CRP|C 反应蛋白（mg/L）|C-reactive protein (mg/L)|decimal
score_caries|患龋率|Caries prevalence|患龋率（%）|Caries prevalence (%)|decimal
cost_per_case|次均费用|Cost per case|次均住院费用（元）|Mean cost per admission (CNY)|decimal
patients|患者人数|Patients|期间内患者人数|Number of patients in the period|integer
prevalence|患病率|Prevalence|患病率（%）|Prevalence (%)|decimal
"""

# ---------------------------------------------------------------------------------------------
# Dataset series (version-independent resources of the version chains)
# id, zh title, en title, zh description, en description, publisher, member ids (oldest first)
# ---------------------------------------------------------------------------------------------
SERIES = [
    ("ncds-risk-series", "中国慢性病及其危险因素监测数据集（系列）", "China Chronic Disease and Risk Factor Surveillance Dataset (series)",
     "中国慢性病及其危险因素监测数据集各版本的集合。每个版本都在前一版本基础上增加监测轮次或修订变量。",
     "All versions of the China Chronic Disease and Risk Factor Surveillance dataset. Each version adds survey rounds or revises variables of the previous one.",
     "chinacdc", ["ncds-risk-v1", "ncds-risk-v2"]),
    ("health-resources-series", "全国医疗卫生机构资源统计数据集（系列）", "National Health Care Institution Resources Statistics (series)",
     "全国医疗卫生机构床位、人员与服务量年度统计数据集的各版本。每年发布一个新版本，覆盖截至上一年末的数据。",
     "Annual versions of the national statistics on beds, staff and service volume of health care institutions. A new version is released each year covering data up to the end of the previous year.",
     "nphdc", ["health-resources-2021", "health-resources-2022", "health-resources-2023"]),
    ("body-composition-series", "中国人群人体成分数据集（系列）", "Human Body Composition Dataset for the Chinese Population (series)",
     "中国成年人生物电阻抗人体成分测量数据集的各版本。新版本扩充了样本省份并修订了测量质控规则。",
     "Versions of the bioimpedance body composition dataset of Chinese adults. The newer version adds provinces and revises the measurement quality-control rules.",
     "nphdc", ["body-composition-v1", "body-composition-v1-1"]),
]

# ---------------------------------------------------------------------------------------------
# Datasets. Keys:
#  id, kind (source|published|aggregate), t (zh, en), d (zh, en), kw (zh list, en list),
#  dom (HM PH BM CM PS), cat (GB/T 39725 codes), lvl (1-5), mode (open|conditional|closed|embargoed),
#  pub, cre (creators), per (start, end), n (records, unique individuals), age (min, max),
#  cols (variable names; None = unstructured), dist [(format, size in MB), ...], hc (health categories),
#  typ (EU dataset type), freq (EU frequency), ver, std (std: local names), fund, papers,
#  issued, modified, src (ancestors), deid (methods, k, risk), emb (embargo end),
#  prev (previous version), cstr ("sdb" for ScienceDB style, default NPHDC style),
#  lic (licence), hsd (hasStructuredData override), prov (zh, en collection sentence)
# ---------------------------------------------------------------------------------------------
DATASETS = [
    # ------------------------------------------------------------------ chain 1: diabetes (README model)
    dict(
        id="pumch-emr-dm-raw", kind="source",
        t=("北京协和医院 2 型糖尿病患者电子病历原始抽取", "PUMCH Type 2 Diabetes EMR Raw Extract"),
        d=("从北京协和医院电子病历系统抽取的 2015—2019 年 2 型糖尿病门诊与住院患者原始记录，含姓名、身份证号等直接标识符。包括诊断、检验、用药和随访记录，仅供院内数据治理与去标识化处理使用，不对外提供。",
           "Raw records of outpatients and inpatients with type 2 diabetes extracted from the Peking Union Medical College Hospital EMR system for 2015-2019, including direct identifiers such as name and national ID number. It contains diagnoses, laboratory results, prescriptions and follow-up notes and is used only for in-hospital data governance and de-identification; it is not shared."),
        kw=(["糖尿病", "电子病历", "原始数据"], ["diabetes", "electronic medical record", "raw data"]),
        dom="CM", cat="PA HS MA", lvl=5, mode="closed", pub="pumch", cre=["pumch"],
        per=("2015-01-01", "2019-12-31"), n=(412000, 38200), age=(18, 96),
        cols="pid sex age visit_month diag_icd10 hba1c fpg egfr", dist=[("CSV", 2300)],
        hc=["EHRS"], typ="STATISTICAL", freq="NEVER", ver="1.0",
        issued="2020-03-10", local="PUMCH-EMR-T2DM-2019",
        prov=("由北京协和医院信息中心从电子病历系统按 ICD-10 E11 诊断编码批量抽取。", "Extracted in bulk by the PUMCH information centre from the EMR system using ICD-10 code E11."),
    ),
    dict(
        id="dm-complications-2020", kind="published",
        t=("糖尿病并发症预警数据集", "Diabetes Complications Early-Warning Dataset"),
        d=("本数据集收录北京协和医院 2015—2019 年约 3.5 万名 2 型糖尿病患者的去标识化随访数据，用于构建微血管与大血管并发症预警模型。变量包括人口学特征、糖化血红蛋白、空腹血糖、估算肾小球滤过率及并发症诊断。数据经 k-匿名（k=5）处理，并按 WS/T 363 数据元与 GB/T 14396 疾病编码标准化。",
           "De-identified follow-up data of about 35,000 patients with type 2 diabetes treated at Peking Union Medical College Hospital in 2015-2019, prepared for early-warning models of micro- and macrovascular complications. Variables include demographics, HbA1c, fasting glucose, eGFR and complication diagnoses. The data were k-anonymised (k=5) and standardised to WS/T 363 data elements and GB/T 14396 disease codes."),
        kw=(["糖尿病", "并发症", "预警模型", "队列"], ["diabetes", "complications", "early warning", "cohort"]),
        dom="CM", cat="HS MA", lvl=3, mode="conditional", pub="nphdc", cre=["pumch", "wang-jianguo", "li-xiaoyan"],
        per=("2015-01-01", "2019-12-31"), n=(120000, 35000), age=(18, 90),
        cols="pid sex age_group hba1c fpg egfr complication", dist=[("CSV", 50), ("XLSX", 38)],
        hc=["EHRS"], typ="STATISTICAL", freq="ANNUAL", ver="1.0",
        std=["ws-t-363", "gb-t-14396"], fund=["nkrd-precision", "nsfc-dm"], papers=["2021.0101", "2022.0417"],
        issued="2020-06-15", modified="2024-03-01", src=["pumch-emr-dm-raw"],
        deid=(["k-anonymity", "generalization", "suppression"], 5, 0.02),
        cstr=("A0005", "202006", "001018"),
    ),
    dict(
        id="dm-complications-stats", kind="aggregate",
        t=("2 型糖尿病并发症患病率汇总统计（2015—2019）", "Type 2 Diabetes Complication Prevalence Summary (2015-2019)"),
        d=("由糖尿病并发症预警数据集按年份、性别和年龄组汇总得到的并发症患病率表。每个单元格至少包含 20 名患者，不含个体记录，可完全公开使用。",
           "Prevalence tables of diabetes complications aggregated by year, sex and age band from the Diabetes Complications Early-Warning Dataset. Every cell covers at least 20 patients and no individual records are included, so the table is fully public."),
        kw=(["糖尿病", "并发症", "患病率", "汇总统计"], ["diabetes", "complications", "prevalence", "aggregate statistics"]),
        dom="CM", cat="HS", lvl=1, mode="open", pub="nphdc", cre=["pumch", "li-xiaoyan"],
        per=("2015-01-01", "2019-12-31"), n=(480, 35000), age=(18, 90),
        cols="year sex age_group complication patients prevalence", dist=[("CSV", 0.2), ("JSON", 0.4)],
        hc=["EHRS"], typ="STATISTICAL", freq="ANNUAL", ver="1.0", std=["gb-t-14396"],
        issued="2021-09-01", src=["dm-complications-2020"], lic="CC_BY_4_0",
    ),
    # ------------------------------------------------------------------ chain 2: stroke (West China)
    dict(
        id="wchscu-stroke-registry-raw", kind="source",
        t=("华西医院卒中登记原始数据", "West China Hospital Stroke Registry Raw Data"),
        d=("四川大学华西医院卒中中心 2016—2022 年连续登记的急性卒中住院患者原始记录。含姓名、住院号、联系电话等直接标识符以及影像与随访信息，仅限院内使用。",
           "Raw records of consecutive acute stroke inpatients registered by the West China Hospital stroke centre in 2016-2022. They contain direct identifiers (name, admission number, phone) with imaging and follow-up information and are for in-hospital use only."),
        kw=(["卒中", "登记", "原始数据"], ["stroke", "registry", "raw data"]),
        dom="CM", cat="PA HS MA", lvl=5, mode="closed", pub="wchscu", cre=["wchscu"],
        per=("2016-01-01", "2022-12-31"), n=(26800, 24100), age=(18, 99),
        cols="pid sex age visit_month stroke_type nihss mrs90", dist=[("CSV", 640)],
        hc=["EHRS", "MRMR"], typ="STATISTICAL", freq="CONT", ver="1.0",
        issued="2023-02-01", local="WCH-STROKE-REG-2022",
        prov=("由卒中中心专职登记员在患者住院期间录入登记系统，出院后 90 天电话随访。", "Entered into the registry system by dedicated stroke-centre registrars during admission, with telephone follow-up 90 days after discharge."),
    ),
    dict(
        id="stroke-registry-sc-2022", kind="published",
        t=("四川急性缺血性卒中登记研究数据集", "Sichuan Acute Ischaemic Stroke Registry Dataset"),
        d=("本数据集来自华西医院卒中登记，收录 2016—2022 年约 2.1 万例急性缺血性卒中患者的去标识化住院与 90 天随访数据。变量包括 TOAST 分型、入院 NIHSS 评分、溶栓与取栓治疗及 90 天 mRS 评分。诊断按 ICD-10 编码，病历字段按 WS 445 电子病历基本数据集映射。",
           "De-identified admission and 90-day follow-up data of about 21,000 patients with acute ischaemic stroke from the West China Hospital registry, 2016-2022. Variables include TOAST subtype, admission NIHSS score, thrombolysis and thrombectomy, and mRS at 90 days. Diagnoses are coded in ICD-10 and record fields mapped to the WS 445 EMR basic dataset."),
        kw=(["缺血性卒中", "登记研究", "预后", "四川"], ["ischaemic stroke", "registry", "outcome", "Sichuan"]),
        dom="CM", cat="HS MA", lvl=3, mode="conditional", pub="wchscu", cre=["wchscu", "zhang-wei", "liu-yang"],
        per=("2016-01-01", "2022-12-31"), n=(21300, 21300), age=(18, 95),
        cols="pid sex age_group stroke_type nihss mrs90 los", dist=[("CSV", 28), ("SAS", 35)],
        hc=["MRMR", "EHRS"], typ="STATISTICAL", freq="ANNUAL", ver="2.0",
        std=["icd-10", "ws-445"], fund=["nkrd-chronic", "nsfc-stroke"], papers=["2023.0212"],
        issued="2023-06-20", modified="2024-01-15", src=["wchscu-stroke-registry-raw"],
        deid=(["pseudonymization", "generalization", "suppression", "k-anonymity"], 5, 0.03),
    ),
    dict(
        id="stroke-incidence-sc-agg", kind="aggregate",
        t=("四川省卒中住院病例年度汇总（2016—2022）", "Sichuan Stroke Admissions Annual Summary (2016-2022)"),
        d=("由四川急性缺血性卒中登记研究数据集按年份、性别和年龄组汇总的住院病例数、平均住院日和 90 天不良结局比例。不含个体记录，小于 10 例的单元格已合并。",
           "Admissions, mean length of stay and share of poor 90-day outcome by year, sex and age band, aggregated from the Sichuan Acute Ischaemic Stroke Registry Dataset. No individual records; cells below 10 cases were merged."),
        kw=(["卒中", "汇总统计", "四川"], ["stroke", "aggregate statistics", "Sichuan"]),
        dom="PH", cat="HS PH", lvl=1, mode="open", pub="schdp", cre=["wchscu", "schdp"],
        per=("2016-01-01", "2022-12-31"), n=(168, 21300), age=(18, 95),
        cols="year sex age_group patients los", dist=[("CSV", 0.05), ("XLSX", 0.08)],
        hc=["MRMR"], typ="STATISTICAL", freq="ANNUAL", ver="1.0", std=["icd-10"],
        issued="2023-09-10", src=["stroke-registry-sc-2022"], lic="CC_BY_4_0",
    ),
    # ------------------------------------------------------------------ chain 3: thyroid lab (Ruijin)
    dict(
        id="ruijin-lab-thyroid-raw", kind="source",
        t=("瑞金医院甲状腺功能检验原始记录", "Ruijin Hospital Thyroid Function Laboratory Raw Records"),
        d=("瑞金医院检验科 LIS 系统 2018—2021 年甲状腺功能检测原始结果，含门诊号、姓名及送检科室。用于建立参考区间的原始数据，仅限院内使用。",
           "Raw thyroid function test results from the Ruijin Hospital laboratory information system for 2018-2021, with outpatient number, name and requesting department. Source data for reference-interval studies, in-hospital use only."),
        kw=(["甲状腺功能", "检验", "原始数据"], ["thyroid function", "laboratory", "raw data"]),
        dom="CM", cat="PA HS", lvl=4, mode="closed", pub="ruijin", cre=["ruijin"],
        per=("2018-01-01", "2021-12-31"), n=(936000, 402000), age=(0, 100),
        cols="pid sex age visit_month loinc result_value", dist=[("CSV", 3100)],
        hc=["EHRS"], typ="STATISTICAL", freq="NEVER", ver="1.0",
        issued="2022-01-20", local="RJH-LIS-THY-2021",
        prov=("由检验科从 LIS 系统导出甲状腺功能五项检测结果。", "Exported by the laboratory department from the LIS as the five-item thyroid panel results."),
    ),
    dict(
        id="thyroid-lab-ruijin-2021", kind="published",
        t=("中国成人甲状腺功能检验数据集", "Chinese Adult Thyroid Function Test Dataset"),
        d=("本数据集包含瑞金医院 2018—2021 年约 30 万名成人的甲状腺功能检验结果（TSH、FT4 等），已去除直接标识符并对年龄和日期进行泛化。检验项目按 LOINC 编码标准化，可用于参考区间建立和检验方法比对研究。",
           "Thyroid function results (TSH, FT4 and others) of about 300,000 adults tested at Ruijin Hospital in 2018-2021, with direct identifiers removed and age and dates generalised. Tests are coded with LOINC, supporting reference-interval and method-comparison studies."),
        kw=(["甲状腺功能", "TSH", "检验医学", "参考区间"], ["thyroid function", "TSH", "laboratory medicine", "reference interval"]),
        dom="BM", cat="HS", lvl=2, mode="open", pub="ruijin", cre=["ruijin", "chen-jing", "yang-fan"],
        per=("2018-01-01", "2021-12-31"), n=(612000, 301000), age=(18, 90),
        cols="pid sex age_group loinc tsh ft4", dist=[("CSV", 96), ("JSON", 180)],
        hc=["EHRS"], typ="STATISTICAL", freq="IRREG", ver="1.0",
        std=["loinc"], papers=["2022.0833"],
        issued="2022-05-18", src=["ruijin-lab-thyroid-raw"],
        deid=(["suppression", "generalization", "k-anonymity"], 15, 0.008), lic="CC_BY_4_0",
    ),
    dict(
        id="thyroid-reference-intervals", kind="aggregate",
        t=("中国成人甲状腺功能参考区间表", "Reference Intervals of Thyroid Function for Chinese Adults"),
        d=("由中国成人甲状腺功能检验数据集按性别和年龄组计算的 TSH 与 FT4 参考区间（第 2.5 与 97.5 百分位数）。仅含统计量，可直接用于实验室参考区间验证。",
           "TSH and FT4 reference intervals (2.5th and 97.5th percentiles) by sex and age band, computed from the Chinese Adult Thyroid Function Test Dataset. Statistics only, ready for laboratory reference-interval verification."),
        kw=(["参考区间", "甲状腺功能", "检验医学"], ["reference interval", "thyroid function", "laboratory medicine"]),
        dom="BM", cat="HS", lvl=1, mode="open", pub="ruijin", cre=["ruijin", "yang-fan"],
        per=("2018-01-01", "2021-12-31"), n=(48, 301000), age=(18, 90),
        cols="sex age_group loinc ref_low ref_high", dist=[("CSV", 0.01), ("JSON", 0.02)],
        hc=["EHRS"], typ="STATISTICAL", freq="NEVER", ver="1.0", std=["loinc"],
        issued="2022-08-01", src=["thyroid-lab-ruijin-2021"], lic="CC0",
    ),
    # ------------------------------------------------------------------ chain 4: ILI surveillance (China CDC)
    dict(
        id="chinacdc-ili-raw", kind="source",
        t=("全国流感样病例哨点监测个案原始数据", "National ILI Sentinel Surveillance Case-Level Raw Data"),
        d=("中国疾病预防控制中心流感监测信息系统 2019—2023 年哨点医院报告的流感样病例个案及采样检测记录。含患者姓名、联系电话和现住址，仅限疾控系统内部使用。",
           "Case-level influenza-like illness reports and specimen test records from sentinel hospitals in the China CDC influenza surveillance information system, 2019-2023. Contains patient name, phone and current address; restricted to the CDC system."),
        kw=(["流感样病例", "哨点监测", "原始数据"], ["influenza-like illness", "sentinel surveillance", "raw data"]),
        dom="PH", cat="PA HS PH", lvl=4, mode="closed", pub="chinacdc", cre=["chinacdc"],
        per=("2019-01-01", "2023-12-31"), n=(2150000, 2080000), age=(0, 100),
        cols="pid sex age county week subtype", dist=[("CSV", 5200)],
        hc=["PHDR", "RPDG"], typ="STATISTICAL", freq="WEEKLY", ver="1.0",
        issued="2024-01-10", local="CDC-ILI-SENT-2023",
        prov=("由 554 家哨点医院通过中国流感监测信息系统每周报告。", "Reported weekly by 554 sentinel hospitals through the China Influenza Surveillance Information System."),
    ),
    dict(
        id="ili-sentinel-2023", kind="published",
        t=("全国流感样病例哨点监测数据集（2019—2023）", "National Influenza-Like Illness Sentinel Surveillance Dataset (2019-2023)"),
        d=("本数据集为全国哨点医院 2019—2023 年按区县、周次和年龄组整理的流感样病例与病原学检测数据。已删除个人标识并将个案聚合为区县-周单元，流感亚型按网络实验室检测结果给出。可用于流感季节性、亚型流行规律和预警模型研究。",
           "Influenza-like illness and virological test data from national sentinel hospitals, 2019-2023, organised by county, week and age band. Personal identifiers were removed and cases aggregated to county-week cells; subtypes come from network laboratory results. Suitable for studies of seasonality, subtype circulation and early-warning models."),
        kw=(["流感", "流感样病例", "监测", "预警"], ["influenza", "ILI", "surveillance", "early warning"]),
        dom="PH", cat="HS PH", lvl=2, mode="open", pub="chinacdc", cre=["chinacdc", "huang-lei", "zhou-ting"],
        per=("2019-01-01", "2023-12-31"), n=(86400, 2080000), age=(0, 100),
        cols="county week age_group ili_cases ili_pct flu_pos subtype", dist=[("CSV", 12), ("JSON", 25)],
        hc=["PHDR", "RPDG"], typ="STATISTICAL", freq="WEEKLY", ver="1.0",
        std=["ws-t-363"], fund=["nkrd-biosafety", "nsfc-flu"], papers=["2024.0105"],
        issued="2024-03-01", modified="2024-06-30", src=["chinacdc-ili-raw"],
        deid=(["statistical", "suppression", "generalization"], 10, 0.01), lic="CC_BY_4_0",
    ),
    dict(
        id="ili-weekly-province-agg", kind="aggregate",
        t=("分省流感样病例百分比周报表", "Weekly ILI Percentage by Province"),
        d=("由全国流感样病例哨点监测数据集按省份和周次汇总的 ILI% 与流感病毒阳性率时间序列。仅含省级汇总指标，适合可视化与教学使用。",
           "Province-by-week time series of ILI percentage and influenza positivity aggregated from the national ILI sentinel surveillance dataset. Provincial aggregates only, suitable for visualisation and teaching."),
        kw=(["流感", "周报", "时间序列"], ["influenza", "weekly report", "time series"]),
        dom="PH", cat="PH", lvl=1, mode="open", pub="chinacdc", cre=["chinacdc"],
        per=("2019-01-01", "2023-12-31"), n=(8060, 2080000), age=None,
        cols="region week ili_pct flu_pos", dist=[("CSV", 0.6), ("JSON", 1.1)],
        hc=["PHDR"], typ="STATISTICAL", freq="WEEKLY", ver="1.0",
        issued="2024-03-15", src=["ili-sentinel-2023"], lic="CC0",
    ),
    # ------------------------------------------------------------------ chain 5: Guangdong claims
    dict(
        id="gd-claims-raw", kind="source",
        t=("广东省基本医疗保险结算原始明细", "Guangdong Basic Medical Insurance Settlement Raw Details"),
        d=("广东省医保结算平台 2018—2021 年门诊慢特病与住院结算明细原始数据，含参保人身份证号与定点机构编码。属于医疗支付数据，仅限平台内部处理。",
           "Raw settlement details of outpatient chronic and special diseases and inpatient stays from the Guangdong medical insurance settlement platform, 2018-2021, with insured persons' ID numbers and provider codes. Medical payment data, processed only inside the platform."),
        kw=(["医保结算", "医疗支付", "原始数据"], ["insurance claims", "medical payment", "raw data"]),
        dom="HM", cat="PA MA MP", lvl=5, mode="closed", pub="gdhdp", cre=["gdhdp"],
        per=("2018-01-01", "2021-12-31"), n=(18500000, 3200000), age=(0, 100),
        cols="pid sex age diag_icd10 insurance_type cost_total cost_fund", dist=[("CSV", 42000)],
        hc=["HRAD"], typ="STATISTICAL", freq="MONTHLY", ver="1.0",
        issued="2022-03-01", local="GD-MI-SETTLE-2021",
        prov=("由广东省医保结算平台按月导出。", "Exported monthly from the Guangdong medical insurance settlement platform."),
    ),
    dict(
        id="gd-claims-chronic-2021", kind="published",
        t=("广东省慢性病医保结算研究数据集", "Guangdong Chronic Disease Insurance Claims Research Dataset"),
        d=("本数据集包含广东省 2018—2021 年高血压、糖尿病、慢性阻塞性肺疾病等 8 种慢性病参保患者的去标识化结算记录，约 320 万人。变量包括诊断编码、医保类型、总费用、统筹基金支付和住院天数。参保人编号已假名化，金额按 100 元取整。",
           "De-identified settlement records of about 3.2 million insured patients with eight chronic diseases (hypertension, diabetes, COPD and others) in Guangdong, 2018-2021. Variables include diagnosis codes, insurance scheme, total cost, pooled-fund payment and length of stay. Insured-person numbers are pseudonymised and amounts rounded to 100 CNY."),
        kw=(["慢性病", "医保", "疾病负担", "广东"], ["chronic disease", "health insurance", "disease burden", "Guangdong"]),
        dom="HM", cat="MA MP", lvl=3, mode="conditional", pub="gdhdp", cre=["gdhdp", "wu-hao"],
        per=("2018-01-01", "2021-12-31"), n=(9600000, 3200000), age=(18, 100),
        cols="pid sex age_group diag_icd10 insurance_type cost_total cost_fund los", dist=[("CSV", 1800), ("SAS", 2100)],
        hc=["HRAD"], typ="STATISTICAL", freq="ANNUAL", ver="1.0",
        std=["icd-10", "gb-t-14396"], fund=["nkrd-data"], papers=["2023.0660"],
        issued="2022-10-12", modified="2023-04-01", src=["gd-claims-raw"],
        deid=(["pseudonymization", "generalization", "randomization"], 10, 0.015),
    ),
    dict(
        id="gd-chronic-cost-agg", kind="aggregate",
        t=("广东省慢性病次均费用与基金支付汇总", "Guangdong Chronic Disease Cost per Case and Fund Payment Summary"),
        d=("由广东省慢性病医保结算研究数据集按地市、病种和年份汇总的患者人数、次均费用与基金支付比例。不含个体信息，可用于卫生经济学教学与政策分析。",
           "Patients, mean cost per case and fund payment share by prefecture, disease and year, aggregated from the Guangdong chronic disease claims research dataset. No individual information; for health-economics teaching and policy analysis."),
        kw=(["疾病经济负担", "医保", "汇总统计"], ["economic burden", "health insurance", "aggregate statistics"]),
        dom="HM", cat="MP HR", lvl=2, mode="open", pub="gdhdp", cre=["gdhdp", "wu-hao"],
        per=("2018-01-01", "2021-12-31"), n=(2688, 3200000), age=None,
        cols="region year diag_icd10 patients cost_per_case cost_fund", dist=[("XLSX", 0.9), ("CSV", 0.7)],
        hc=["NRPE", "HRAD"], typ="STATISTICAL", freq="ANNUAL", ver="1.0", std=["icd-10"],
        issued="2023-01-05", src=["gd-claims-chronic-2021"], lic="hdlic:public-welfare-free",
    ),
    # ------------------------------------------------------------------ chain 6: Zhejiang health check-ups
    dict(
        id="zj-checkup-raw", kind="source",
        t=("浙江省居民健康体检原始记录", "Zhejiang Resident Health Check-up Raw Records"),
        d=("浙江省全民健康信息平台汇聚的 2014—2019 年居民健康体检原始记录，含身份证号、联系地址和体检机构信息。仅供平台数据治理使用。",
           "Raw resident health check-up records collected by the Zhejiang population health information platform in 2014-2019, with ID number, address and check-up provider. For platform data governance only."),
        kw=(["健康体检", "居民健康档案", "原始数据"], ["health check-up", "resident health record", "raw data"]),
        dom="HM", cat="PA HS", lvl=4, mode="closed", pub="zjhdp", cre=["zjhdp"],
        per=("2014-01-01", "2019-12-31"), n=(5400000, 1900000), age=(18, 100),
        cols="pid sex age county sbp dbp bmi fpg ldl", dist=[("CSV", 9800)],
        hc=["EHRS"], typ="STATISTICAL", freq="ANNUAL", ver="1.0",
        issued="2020-08-01", local="ZJ-CHECKUP-2019",
        prov=("由各体检机构通过全民健康信息平台上传体检报告结构化数据。", "Structured check-up report data uploaded by check-up providers through the population health information platform."),
    ),
    dict(
        id="zj-checkup-cohort-2019", kind="published",
        t=("浙江省成人健康体检纵向队列数据集", "Zhejiang Adult Health Check-up Longitudinal Cohort Dataset"),
        d=("本数据集由浙江省居民健康体检记录构建，包含约 190 万名成人 2014—2019 年的重复体检测量值。变量包括血压、体质指数、空腹血糖、血脂和吸烟状况，数据元按 WS/T 363 标准化。因相关论文尚在审稿，数据处于保护期，保护期满后转为有条件共享。",
           "A longitudinal cohort built from Zhejiang resident health check-ups with repeated measurements of about 1.9 million adults in 2014-2019. Variables include blood pressure, BMI, fasting glucose, lipids and smoking status; data elements follow WS/T 363. The data are under embargo while the main paper is in review and will then become conditionally shared."),
        kw=(["健康体检", "纵向队列", "心血管危险因素", "浙江"], ["health check-up", "longitudinal cohort", "cardiovascular risk factors", "Zhejiang"]),
        dom="HM", cat="HS", lvl=3, mode="embargoed", pub="zjhdp", cre=["zjhdp", "zjcdc", "xu-li"],
        per=("2014-01-01", "2019-12-31"), n=(5100000, 1900000), age=(18, 90),
        cols="pid sex age_group year sbp dbp bmi fpg ldl smoking", dist=[("CSV", 880)],
        hc=["RQSH", "EHRS"], typ="STATISTICAL", freq="ANNUAL", ver="1.0",
        std=["ws-t-363"], fund=["nkrd-chronic"],
        issued="2021-03-01", src=["zj-checkup-raw"], emb="2026-12-31",
        deid=(["pseudonymization", "generalization", "k-anonymity"], 5, 0.025),
    ),
    # ------------------------------------------------------------------ chain 7: record linkage (Sichuan mother-infant)
    dict(
        id="sc-maternal-records-raw", kind="source",
        t=("四川省孕产妇保健管理原始记录", "Sichuan Maternal Health Care Raw Records"),
        d=("四川省妇幼保健信息系统 2017—2021 年孕产妇建册、产检和分娩原始记录，含孕妇身份证号和住址。仅用于平台内部的记录关联与去标识化。",
           "Raw pregnancy registration, antenatal care and delivery records from the Sichuan maternal and child health information system, 2017-2021, with mothers' ID numbers and addresses. Used only for record linkage and de-identification inside the platform."),
        kw=(["孕产妇保健", "妇幼保健", "原始数据"], ["maternal health care", "maternal and child health", "raw data"]),
        dom="PH", cat="PA HS MA", lvl=5, mode="closed", pub="schdp", cre=["schdp"],
        per=("2017-01-01", "2021-12-31"), n=(3100000, 2400000), age=(14, 55),
        cols="pid age county gest_week diag_icd10", dist=[("CSV", 4600)],
        hc=["EHRS", "PHDR"], typ="STATISTICAL", freq="MONTHLY", ver="1.0",
        issued="2022-04-01", local="SC-MCH-MAT-2021",
        prov=("由各级妇幼保健机构在孕产妇系统管理过程中录入。", "Entered by maternal and child health institutions during systematic management of pregnant women."),
    ),
    dict(
        id="sc-newborn-screening-raw", kind="source",
        t=("四川省新生儿疾病筛查原始记录", "Sichuan Newborn Screening Raw Records"),
        d=("四川省新生儿疾病筛查中心 2017—2021 年苯丙酮尿症、先天性甲状腺功能减低症和听力筛查原始记录，含母亲身份证号与新生儿出生信息。仅限筛查中心与平台内部使用。",
           "Raw records of phenylketonuria, congenital hypothyroidism and hearing screening from the Sichuan newborn screening centre, 2017-2021, with mothers' ID numbers and birth details. Restricted to the screening centre and the platform."),
        kw=(["新生儿筛查", "出生缺陷", "原始数据"], ["newborn screening", "birth defects", "raw data"]),
        dom="PH", cat="PA HS", lvl=4, mode="closed", pub="schdp", cre=["schdp"],
        per=("2017-01-01", "2021-12-31"), n=(2300000, 2280000), age=(0, 0),
        cols="pid sex birth_weight screen_result", dist=[("CSV", 2100)],
        hc=["PHDR"], typ="STATISTICAL", freq="MONTHLY", ver="1.0",
        issued="2022-04-01", local="SC-NBS-2021",
        prov=("由助产机构采集足跟血并送筛查中心检测后录入。", "Heel-prick blood collected by delivery units and entered after testing at the screening centre."),
    ),
    dict(
        id="sc-mother-infant-linked-2022", kind="published",
        t=("四川省母婴健康关联研究数据集", "Sichuan Mother-Infant Linked Health Dataset"),
        d=("本数据集将四川省孕产妇保健记录与新生儿筛查记录通过母亲身份证号的加密哈希进行确定性关联，覆盖 2017—2021 年约 210 万对母婴。变量包括孕期诊断、分娩孕周、出生体重和新生儿筛查结果。关联完成后删除关联键并进行泛化与 k-匿名处理，可用于出生结局和出生缺陷影响因素研究。",
           "Maternal health care records and newborn screening records of Sichuan were linked deterministically on a keyed hash of the mother's ID number, covering about 2.1 million mother-infant pairs in 2017-2021. Variables include pregnancy diagnoses, gestational age, birth weight and screening results. The linkage key was dropped afterwards and the data generalised and k-anonymised, for research on birth outcomes and risk factors of birth defects."),
        kw=(["母婴健康", "记录关联", "出生结局", "新生儿筛查"], ["maternal and child health", "record linkage", "birth outcomes", "newborn screening"]),
        dom="PH", cat="HS MA", lvl=3, mode="conditional", pub="schdp", cre=["schdp", "wchscu", "sun-zhiqiang"],
        per=("2017-01-01", "2021-12-31"), n=(2100000, 4200000), age=(0, 55),
        cols="pid age_group gest_week birth_weight screen_result diag_icd10", dist=[("CSV", 620), ("XLSX", 540)],
        hc=["PHDR", "EHRS"], typ="STATISTICAL", freq="ANNUAL", ver="1.0",
        std=["ws-t-363", "icd-10"], fund=["nkrd-repro"], papers=["2023.0904"],
        issued="2022-11-30", src=["sc-maternal-records-raw", "sc-newborn-screening-raw"], linkage=True,
        deid=(["cryptographic", "generalization", "k-anonymity"], 5, 0.03),
    ),
    # ------------------------------------------------------------------ chain 8: genomes (NGDC)
    dict(
        id="ngdc-wgs-raw", kind="source",
        t=("中国人群全基因组测序原始数据", "Chinese Population Whole-Genome Sequencing Raw Data"),
        d=("国家基因组科学数据中心汇交的 1.2 万名中国人全基因组测序原始读段（FASTQ/BAM）及样本采集信息。属于人类遗传资源，需经科技部人类遗传资源管理审批，不对外开放。",
           "Raw whole-genome sequencing reads (FASTQ/BAM) and sample collection records of 12,000 Chinese individuals deposited at the National Genomics Data Center. Human genetic resources subject to MOST approval; not shared."),
        kw=(["全基因组测序", "人类遗传资源", "原始数据"], ["whole-genome sequencing", "human genetic resources", "raw data"]),
        dom="BM", cat="PA HS", lvl=5, mode="closed", pub="ngdc", cre=["ngdc", "cams"],
        per=("2019-01-01", "2022-12-31"), n=(12000, 12000), age=(18, 85),
        cols=None, dist=[("ZIP", 1850000)],
        hc=["HGPD", "EINS"], typ="STATISTICAL", freq="NEVER", ver="1.0",
        issued="2023-03-01", local="NGDC-WGS-CN-2022",
        prov=("由合作测序平台按统一建库与 30× 测序流程产生并汇交。", "Generated by partner sequencing platforms under a common library preparation and 30x sequencing protocol and deposited."),
    ),
    dict(
        id="cn-wgs-variants-2023", kind="published",
        t=("中国人群基因组变异频率数据集", "Chinese Population Genomic Variant Frequency Dataset"),
        d=("本数据集给出 1.2 万名中国人全基因组测序识别的单核苷酸变异和插入缺失在全人群及七大地理区域中的等位基因频率。个体基因型未公开，样本编号已假名化，表型按 ICD-10 与 SNOMED CT 标注。申请者需提交人类遗传资源利用说明并签署数据使用协议。",
           "Allele frequencies of SNVs and indels identified by whole-genome sequencing of 12,000 Chinese individuals, for the whole population and seven geographic regions. Individual genotypes are not released, sample IDs are pseudonymised and phenotypes annotated with ICD-10 and SNOMED CT. Applicants submit a human genetic resources use statement and sign a data use agreement."),
        kw=(["基因组变异", "等位基因频率", "中国人群", "全基因组测序"], ["genomic variants", "allele frequency", "Chinese population", "whole-genome sequencing"]),
        dom="BM", cat="HS", lvl=3, mode="conditional", pub="ngdc", cre=["ngdc", "cams", "guo-tao", "hu-jia"],
        per=("2019-01-01", "2022-12-31"), n=(98000000, 12000), age=(18, 85),
        cols="variant_id gene region allele_freq", dist=[("CSV", 26000), ("JSON", 41000)],
        hc=["HGPD"], typ="STATISTICAL", freq="IRREG", ver="1.0",
        std=["icd-10", "snomed-ct"], fund=["nsfc-genome"], papers=["2023.1120", "2024.0318"],
        issued="2023-09-01", src=["ngdc-wgs-raw"],
        deid=(["pseudonymization", "statistical", "suppression"], 20, 0.005),
    ),
    # ------------------------------------------------------------------ chain 9: chest CT (West China)
    dict(
        id="wchscu-chest-ct-raw", kind="source",
        t=("华西医院胸部 CT 原始影像", "West China Hospital Chest CT Raw Images"),
        d=("华西医院 PACS 系统 2019—2021 年肺结节随访患者胸部薄层 CT 原始 DICOM 影像，DICOM 头含姓名与检查号。仅限院内使用。",
           "Raw thin-slice chest CT DICOM images of lung nodule follow-up patients from the West China Hospital PACS, 2019-2021; DICOM headers contain name and accession number. In-hospital use only."),
        kw=(["胸部 CT", "医学影像", "原始数据"], ["chest CT", "medical imaging", "raw data"]),
        dom="CM", cat="PA MA", lvl=4, mode="closed", pub="wchscu", cre=["wchscu"],
        per=("2019-01-01", "2021-12-31"), n=(18400, 9600), age=(18, 90),
        cols=None, dist=[("DICOM", 5400000)],
        hc=["EHRS", "EMRD"], typ="STATISTICAL", freq="NEVER", ver="1.0",
        issued="2022-02-15", local="WCH-PACS-CHEST-2021",
        prov=("由放射科从 PACS 按检查部位与随访标记导出。", "Exported by the radiology department from the PACS by body part and follow-up flag."),
    ),
    dict(
        id="lung-nodule-ct-2021", kind="published",
        t=("肺结节胸部 CT 影像标注数据集", "Annotated Chest CT Dataset of Pulmonary Nodules"),
        d=("本数据集包含华西医院 2019—2021 年 9,600 名患者的 1.8 万例胸部薄层 CT，附放射科医师标注的结节位置、直径和 Lung-RADS 分类。DICOM 头中的标识信息已按 DICOM PS3.15 基本去标识化配置删除或替换，检查日期偏移处理。适用于肺结节检测与良恶性分类算法研究。",
           "18,000 thin-slice chest CT scans of 9,600 patients from West China Hospital, 2019-2021, with radiologist annotations of nodule location, diameter and Lung-RADS category. Identifying DICOM header attributes were removed or replaced following the DICOM PS3.15 basic de-identification profile and study dates shifted. For research on nodule detection and malignancy classification algorithms."),
        kw=(["肺结节", "胸部 CT", "医学影像", "人工智能"], ["pulmonary nodule", "chest CT", "medical imaging", "artificial intelligence"]),
        dom="CM", cat="MA HS", lvl=3, mode="conditional", pub="wchscu", cre=["wchscu", "liu-yang", "zhao-min"],
        per=("2019-01-01", "2021-12-31"), n=(18000, 9600), age=(18, 90),
        cols="pid sex age_group nodule_mm lung_rads", dist=[("DICOM", 4900000), ("CSV", 3)],
        hc=["EHRS", "EMRD"], typ="STATISTICAL", freq="NEVER", ver="1.0",
        std=["dicom"], fund=["nkrd-data"], papers=["2022.0519"],
        issued="2022-07-01", src=["wchscu-chest-ct-raw"],
        deid=(["suppression", "pseudonymization", "randomization"], 5, 0.04),
    ),
    dict(
        id="lung-nodule-summary", kind="aggregate",
        t=("肺结节 CT 标注数据集描述性统计", "Descriptive Statistics of the Pulmonary Nodule CT Dataset"),
        d=("由肺结节胸部 CT 影像标注数据集按性别、年龄组和 Lung-RADS 分类汇总的结节数与平均直径。用于数据集说明与外部研究者的样本量估算。",
           "Nodule counts and mean diameters by sex, age band and Lung-RADS category, aggregated from the annotated chest CT dataset. For dataset documentation and sample-size estimation by external researchers."),
        kw=(["肺结节", "描述性统计"], ["pulmonary nodule", "descriptive statistics"]),
        dom="CM", cat="MA", lvl=1, mode="open", pub="wchscu", cre=["wchscu", "zhao-min"],
        per=("2019-01-01", "2021-12-31"), n=(72, 9600), age=(18, 90),
        cols="sex age_group lung_rads patients nodule_mm", dist=[("CSV", 0.01)],
        hc=["EMRD"], typ="STATISTICAL", freq="NEVER", ver="1.0",
        issued="2022-09-15", src=["lung-nodule-ct-2021"], lic="CC_BY_4_0",
    ),
    # ------------------------------------------------------------------ version chain A: chronic disease surveillance
    dict(
        id="ncds-risk-v1", kind="published",
        t=("中国慢性病及其危险因素监测数据集 V1.0", "China Chronic Disease and Risk Factor Surveillance Dataset V1.0"),
        d=("本数据集来自 2013 年中国慢性病及其危险因素监测，覆盖 31 个省份 302 个监测点约 17.7 万名 18 岁及以上居民。变量包括吸烟、饮酒、身体活动、血压、血糖和血脂等。采用多阶段分层整群抽样，经面对面问卷调查、身体测量和实验室检测收集。",
           "Data from the 2013 China Chronic Disease and Risk Factor Surveillance, covering about 177,000 residents aged 18 and over at 302 surveillance points in 31 provinces. Variables include smoking, drinking, physical activity, blood pressure, glucose and lipids. Collected with multistage stratified cluster sampling through face-to-face interviews, physical measurement and laboratory tests."),
        kw=(["慢性病", "危险因素", "监测", "抽样调查"], ["chronic disease", "risk factors", "surveillance", "sample survey"]),
        dom="PH", cat="HS PH", lvl=3, mode="conditional", pub="chinacdc", cre=["chinacdc", "huang-lei"],
        per=("2013-08-01", "2013-12-31"), n=(177000, 177000), age=(18, 98),
        cols="pid sex age region smoking phys_act sbp dbp fpg ldl", dist=[("SAS", 420), ("CSV", 310)],
        hc=["RQSH", "DIOH"], typ="STATISTICAL", freq="IRREG", ver="1.0",
        std=["ws-t-363"], fund=["nkrd-chronic"], papers=["2019.0711"],
        issued="2019-05-20", deid=(["pseudonymization", "generalization"], 5, 0.04),
        series="ncds-risk-series",
    ),
    dict(
        id="ncds-risk-v2", kind="published",
        t=("中国慢性病及其危险因素监测数据集 V2.0", "China Chronic Disease and Risk Factor Surveillance Dataset V2.0"),
        d=("V2.0 在 2013 年监测基础上增加 2015 年和 2018 年两轮监测，合计约 53 万名 18 岁及以上居民。统一了三轮问卷的变量编码并补充复杂抽样权重。与 V1.0 相比，血脂检测值已按统一的参比实验室标准校正。",
           "Version 2.0 adds the 2015 and 2018 survey rounds to the 2013 round, about 530,000 residents aged 18 and over in total. Variable coding was harmonised across the three questionnaires and complex survey weights added. Compared with V1.0, lipid values are recalibrated against a common reference laboratory."),
        kw=(["慢性病", "危险因素", "监测", "复杂抽样"], ["chronic disease", "risk factors", "surveillance", "complex sampling"]),
        dom="PH", cat="HS PH", lvl=3, mode="conditional", pub="chinacdc", cre=["chinacdc", "huang-lei", "zhou-ting"],
        per=("2013-08-01", "2018-12-31"), n=(530000, 512000), age=(18, 98),
        cols="pid sex age region year smoking phys_act sbp dbp fpg ldl", dist=[("SAS", 1300), ("CSV", 960)],
        hc=["RQSH", "DIOH"], typ="STATISTICAL", freq="IRREG", ver="2.0",
        std=["ws-t-363"], fund=["nkrd-chronic"], papers=["2021.0330"],
        issued="2021-04-10", modified="2022-01-20", deid=(["pseudonymization", "generalization"], 5, 0.04),
        series="ncds-risk-series", prev="ncds-risk-v1",
    ),
    # ------------------------------------------------------------------ version chain B: health resources
    dict(
        id="health-resources-2021", kind="published",
        t=("全国医疗卫生机构资源统计数据集 2021 版", "National Health Care Institution Resources Statistics, 2021 edition"),
        d=("汇总截至 2020 年末全国各省份医疗卫生机构数、实有床位数、执业（助理）医师数和注册护士数，按医院等级分列。数据来自卫生健康统计年报汇总表，不涉及个人信息。",
           "Numbers of health care institutions, beds, licensed (assistant) physicians and registered nurses by province and hospital grade as of the end of 2020. Compiled from the annual health statistics report tables; no personal information."),
        kw=(["卫生资源", "床位", "卫生人员", "统计年报"], ["health resources", "hospital beds", "health workforce", "statistical yearbook"]),
        dom="HM", cat="HR", lvl=1, mode="open", pub="nphdc", cre=["nphdc", "cams"],
        per=("2020-01-01", "2020-12-31"), n=(93, None), age=None,
        cols="region hospital_level beds doctors nurses", dist=[("XLSX", 0.3), ("CSV", 0.2)],
        hc=["NRPE", "IDHP"], typ="STATISTICAL", freq="ANNUAL", ver="2021",
        issued="2021-07-01", lic="CC_BY_4_0", series="health-resources-series",
        prov=("由各省卫生健康统计年报汇总表整理。", "Compiled from the provincial annual health statistics report tables."),
    ),
    dict(
        id="health-resources-2022", kind="published",
        t=("全国医疗卫生机构资源统计数据集 2022 版", "National Health Care Institution Resources Statistics, 2022 edition"),
        d=("汇总截至 2021 年末全国各省份医疗卫生机构、床位与卫生人员数量。本版本新增基层医疗卫生机构分列，并修订了 2020 年个别省份的床位数。",
           "Institutions, beds and health workforce by province as of the end of 2021. This edition adds a breakdown of primary care institutions and corrects 2020 bed counts for some provinces."),
        kw=(["卫生资源", "基层医疗", "统计年报"], ["health resources", "primary care", "statistical yearbook"]),
        dom="HM", cat="HR", lvl=1, mode="open", pub="nphdc", cre=["nphdc", "cams"],
        per=("2021-01-01", "2021-12-31"), n=(124, None), age=None,
        cols="region hospital_level beds doctors nurses", dist=[("XLSX", 0.4), ("CSV", 0.3)],
        hc=["NRPE", "IDHP"], typ="STATISTICAL", freq="ANNUAL", ver="2022",
        issued="2022-07-01", lic="CC_BY_4_0", series="health-resources-series", prev="health-resources-2021",
        prov=("由各省卫生健康统计年报汇总表整理。", "Compiled from the provincial annual health statistics report tables."),
    ),
    dict(
        id="health-resources-2023", kind="published",
        t=("全国医疗卫生机构资源统计数据集 2023 版", "National Health Care Institution Resources Statistics, 2023 edition"),
        d=("汇总截至 2022 年末全国各省份医疗卫生机构、床位与卫生人员数量，按医院等级和基层机构分列。本版本起同时提供 JSON 格式，并统一使用 GB/T 2260 行政区划代码。",
           "Institutions, beds and health workforce by province, hospital grade and primary care as of the end of 2022. From this edition a JSON distribution is also provided and GB/T 2260 division codes are used throughout."),
        kw=(["卫生资源", "床位", "卫生人员"], ["health resources", "hospital beds", "health workforce"]),
        dom="HM", cat="HR", lvl=1, mode="open", pub="nphdc", cre=["nphdc", "cams"],
        per=("2022-01-01", "2022-12-31"), n=(124, None), age=None,
        cols="region hospital_level beds doctors nurses", dist=[("XLSX", 0.4), ("CSV", 0.3), ("JSON", 0.6)],
        hc=["NRPE", "IDHP"], typ="STATISTICAL", freq="ANNUAL", ver="2023",
        issued="2023-07-03", lic="CC_BY_4_0", series="health-resources-series", prev="health-resources-2022",
        prov=("由各省卫生健康统计年报汇总表整理。", "Compiled from the provincial annual health statistics report tables."),
    ),
    # ------------------------------------------------------------------ version chain C: body composition
    dict(
        id="body-composition-v1", kind="published",
        t=("中国人群人体成分数据集 V1.0", "Human Body Composition Dataset for the Chinese Population V1.0"),
        d=("本数据集包含 2017—2018 年在北京、上海、广州等 6 个城市招募的约 2.6 万名 18—80 岁成人的生物电阻抗人体成分测量结果。变量包括身高、体重、体脂率、骨骼肌量和分节段肌肉量。测量使用统一型号设备并按标准操作规程完成。",
           "Bioimpedance body composition measurements of about 26,000 adults aged 18-80 recruited in six cities including Beijing, Shanghai and Guangzhou in 2017-2018. Variables include height, weight, body fat percentage, skeletal muscle mass and segmental muscle mass. Measurements used one device model and a standard operating procedure."),
        kw=(["人体成分", "体脂率", "生物电阻抗", "参考值"], ["body composition", "body fat", "bioimpedance", "reference values"]),
        dom="HM", cat="HS", lvl=2, mode="open", pub="nphdc", cre=["pkusph", "cams", "chen-jing"],
        per=("2017-03-01", "2018-12-31"), n=(26000, 26000), age=(18, 80),
        cols="pid sex age_group bmi fat_pct muscle_kg", dist=[("CSV", 4), ("XLSX", 3)],
        hc=["RQSH"], typ="STATISTICAL", freq="IRREG", ver="1.0",
        std=["ws-t-363"], papers=["2020.0226"],
        issued="2019-05-16", deid=(["generalization", "k-anonymity", "suppression"], 10, 0.01),
        series="body-composition-series", lic="CC_BY_4_0",
    ),
    dict(
        id="body-composition-v1-1", kind="published",
        t=("中国人群人体成分数据集 V1.1", "Human Body Composition Dataset for the Chinese Population V1.1"),
        d=("V1.1 在 V1.0 基础上增加成都和西安两个城市的 8,000 名受试者，合计约 3.4 万人。修订了异常测量值的剔除规则，并补充分节段相位角。",
           "Version 1.1 adds 8,000 participants from Chengdu and Xi'an to V1.0, about 34,000 in total. The exclusion rules for implausible measurements were revised and segmental phase angle added."),
        kw=(["人体成分", "体脂率", "生物电阻抗"], ["body composition", "body fat", "bioimpedance"]),
        dom="HM", cat="HS", lvl=2, mode="open", pub="nphdc", cre=["pkusph", "cams", "chen-jing", "yang-fan"],
        per=("2017-03-01", "2020-06-30"), n=(34000, 34000), age=(18, 80),
        cols="pid sex age_group bmi fat_pct muscle_kg", dist=[("CSV", 5.5), ("XLSX", 4.2)],
        hc=["RQSH"], typ="STATISTICAL", freq="IRREG", ver="1.1",
        std=["ws-t-363"], papers=["2021.0815"],
        issued="2021-01-12", deid=(["generalization", "k-anonymity", "suppression"], 10, 0.01),
        series="body-composition-series", prev="body-composition-v1", lic="CC_BY_4_0",
    ),
    # ------------------------------------------------------------------ standalone: pharmacy
    dict(
        id="adr-reports-gd-2022", kind="published",
        t=("广东省药品不良反应监测报告数据集", "Guangdong Adverse Drug Reaction Monitoring Reports"),
        d=("收录广东省药品不良反应监测系统 2018—2022 年约 42 万份报告，含怀疑药品、ATC 编码、不良反应术语、严重程度和转归。报告人和患者身份信息已删除，年龄按 5 岁分组。可用于药物警戒信号检测研究。",
           "About 420,000 reports from the Guangdong adverse drug reaction monitoring system, 2018-2022, with suspected drug, ATC code, reaction term, seriousness and outcome. Reporter and patient identities were removed and age grouped in five-year bands. For pharmacovigilance signal detection research."),
        kw=(["药品不良反应", "药物警戒", "信号检测"], ["adverse drug reaction", "pharmacovigilance", "signal detection"]),
        dom="PS", cat="MA HS", lvl=3, mode="conditional", pub="gdhdp", cre=["gdhdp", "wu-hao"],
        per=("2018-01-01", "2022-12-31"), n=(420000, 390000), age=(0, 100),
        cols="sex age_group drug_name atc adr_term severity", dist=[("CSV", 150)],
        hc=["RMMD"], typ="STATISTICAL", freq="ANNUAL", ver="1.0",
        std=["meddra", "atc"],
        issued="2023-05-06", deid=(["suppression", "generalization"], 5, 0.03),
    ),
    dict(
        id="antibiotic-use-2021", kind="published",
        t=("三级医院抗菌药物临床使用监测数据集", "Antimicrobial Use Surveillance in Tertiary Hospitals"),
        d=("汇总 2016—2021 年 126 家三级医院住院患者抗菌药物使用强度（DDDs/100 人天）和使用率，按医院、科室和药物类别分列。数据来自医院处方点评系统的汇总上报，不含患者个体记录。",
           "Antimicrobial use density (DDDs per 100 patient-days) and use rates of inpatients in 126 tertiary hospitals, 2016-2021, by hospital, department and drug class. Compiled from aggregated reports of hospital prescription review systems; no patient-level records."),
        kw=(["抗菌药物", "合理用药", "DDD", "监测"], ["antimicrobials", "rational drug use", "DDD", "surveillance"]),
        dom="PS", cat="MA HR", lvl=2, mode="open", pub="nphdc", cre=["pumch", "ruijin", "zhao-min"],
        per=("2016-01-01", "2021-12-31"), n=(54000, None), age=None,
        cols="year hospital_level atc ddd", dist=[("CSV", 6), ("XLSX", 5)],
        hc=["NRPE", "HRAD"], typ="STATISTICAL", freq="ANNUAL", ver="1.0", std=["atc", "ws-t-363"],
        issued="2022-04-12", deid=(["statistical", "suppression"], 20, 0.001), lic="CC_BY_4_0",
    ),
    dict(
        id="tcm-injection-safety-2020", kind="published",
        t=("中药注射剂上市后安全性医院集中监测数据集", "Post-Marketing Hospital Intensive Monitoring of TCM Injections"),
        d=("对 2016—2019 年 32 家医院使用 5 种中药注射剂的约 3 万名住院患者进行集中监测，记录用药剂量、溶媒、合并用药及不良事件。患者编号已假名化，日期转换为相对天数。",
           "Intensive monitoring of about 30,000 inpatients receiving five traditional Chinese medicine injections in 32 hospitals, 2016-2019, recording dose, solvent, co-medication and adverse events. Patient numbers were pseudonymised and dates converted to relative days."),
        kw=(["中药注射剂", "上市后安全性", "集中监测"], ["TCM injection", "post-marketing safety", "intensive monitoring"]),
        dom="PS", cat="MA HS", lvl=3, mode="conditional", pub="wchscu", cre=["wchscu", "sun-zhiqiang"],
        per=("2016-01-01", "2019-12-31"), n=(30200, 30200), age=(18, 95),
        cols="pid sex age_group drug_name dose adr_term severity", dist=[("SAS", 40), ("CSV", 30)],
        hc=["RMMD", "EHRS"], typ="STATISTICAL", freq="NEVER", ver="1.0", std=["cdisc-sdtm"],
        issued="2020-10-20", deid=(["pseudonymization", "generalization"], 5, 0.035),
    ),
    dict(
        id="drug-procurement-prices-2022", kind="published",
        t=("国家组织药品集中采购中选价格数据集", "National Centralised Drug Procurement Winning Prices"),
        d=("整理 2018—2022 年前七批国家组织药品集中采购的中选品种、规格、中选企业与中选价格。数据来自公开发布的中选结果文件，经结构化与 ATC 编码映射。",
           "Winning products, strengths, companies and prices of the first seven rounds of national centralised drug procurement, 2018-2022. Compiled from the published award documents, structured and mapped to ATC codes."),
        kw=(["药品集中采购", "药品价格", "医保"], ["centralised procurement", "drug prices", "health insurance"]),
        dom="PS", cat="HR", lvl=1, mode="open", pub="nphdc", cre=["nphdc", "guo-tao"],
        per=("2018-12-01", "2022-12-31"), n=(1900, None), age=None,
        cols="year drug_name atc price", dist=[("CSV", 0.5), ("XLSX", 0.6), ("JSON", 1.0)],
        hc=["NRPE"], typ="STATISTICAL", freq="IRREG", ver="1.0",
        issued="2023-02-20", lic="CC0",
        prov=("由公开发布的集中采购中选结果文件人工录入并双人核对。", "Transcribed from the published award documents with double data entry."),
    ),
    dict(
        id="pk-healthy-volunteers-2022", kind="published",
        t=("中国健康受试者 I 期临床试验药代动力学数据集", "Phase I Pharmacokinetics of Healthy Chinese Volunteers"),
        d=("收录复旦大学附属医院 I 期临床试验研究室 2015—2021 年 48 项仿制药生物等效性试验中约 1,900 名健康受试者的药代动力学参数。数据按 CDISC SDTM 组织，受试者编号已重新编码。论文发表前处于保护期。",
           "Pharmacokinetic parameters of about 1,900 healthy volunteers in 48 generic-drug bioequivalence trials run by the Fudan University phase I unit, 2015-2021. Data are organised in CDISC SDTM and subject numbers recoded. Under embargo until the paper is published."),
        kw=(["药代动力学", "生物等效性", "I 期临床试验"], ["pharmacokinetics", "bioequivalence", "phase I trial"]),
        dom="PS", cat="HS MA", lvl=3, mode="embargoed", pub="fudan", cre=["fudan", "xu-li", "hu-jia"],
        per=("2015-01-01", "2021-12-31"), n=(91000, 1900), age=(18, 65),
        cols="pid sex age_group drug_name dose cmax auc", dist=[("SAS", 55), ("CSV", 40)],
        hc=["EHCT"], typ="STATISTICAL", freq="NEVER", ver="1.0", std=["cdisc-sdtm"], fund=["nsfc-young-pk"],
        issued="2022-12-01", emb="2025-12-31", cstr="sdb",
        deid=(["pseudonymization", "generalization"], 5, 0.03),
    ),
    dict(
        id="pediatric-medication-zj-2023", kind="published",
        t=("浙江省儿童住院用药与不良事件数据集", "Zhejiang Paediatric Inpatient Medication and Adverse Events"),
        d=("浙江省 6 家儿童专科医院 2019—2022 年约 8.7 万名住院儿童的用药医嘱、按体重剂量和药物不良事件。涉及罕见病与精神科患儿的详细记录，仅供批准项目在平台隐私计算环境中使用，不对外提供。",
           "Medication orders, weight-based doses and adverse drug events of about 87,000 children admitted to six paediatric hospitals in Zhejiang, 2019-2022. Contains detailed records of children with rare and psychiatric diseases; used only by approved projects inside the platform's privacy-preserving computing environment and not released."),
        kw=(["儿童用药", "超说明书用药", "药物不良事件"], ["paediatric medication", "off-label use", "adverse drug events"]),
        dom="PS", cat="HS MA", lvl=4, mode="closed", pub="zjhdp", cre=["zjhdp", "zhou-ting"],
        per=("2019-01-01", "2022-12-31"), n=(1240000, 87000), age=(0, 17),
        cols="pid sex age drug_name dose adr_term severity", dist=[("CSV", 380)],
        hc=["EHRS", "RMMD"], typ="STATISTICAL", freq="ANNUAL", ver="1.0",
        issued="2023-06-01", deid=(["pseudonymization"], 2, 0.2),
    ),
    dict(
        id="warfarin-genotype-dose", kind="published",
        t=("华法林稳定剂量与药物基因型数据集", "Warfarin Stable Dose and Pharmacogenotype Dataset"),
        d=("收录 2014—2019 年上海 4 家医院约 2,100 名服用华法林患者的 CYP2C9 与 VKORC1 基因型、稳定剂量和 INR 监测值。样本编号已假名化，可用于中国人群华法林剂量预测模型研究。",
           "CYP2C9 and VKORC1 genotypes, stable doses and INR values of about 2,100 warfarin patients in four Shanghai hospitals, 2014-2019. Sample IDs pseudonymised; for warfarin dose-prediction models in the Chinese population."),
        kw=(["华法林", "药物基因组学", "剂量预测"], ["warfarin", "pharmacogenomics", "dose prediction"]),
        dom="PS", cat="HS", lvl=3, mode="conditional", pub="fudan", cre=["fudan", "ruijin", "hu-jia"],
        per=("2014-01-01", "2019-12-31"), n=(2100, 2100), age=(18, 88),
        cols="pid sex age_group genotype dose inr", dist=[("CSV", 0.8), ("XLSX", 0.7)],
        hc=["HGPD", "EHRS"], typ="STATISTICAL", freq="NEVER", ver="1.0", std=["loinc"],
        issued="2020-09-09", cstr="sdb", papers=["2021.0902"],
        deid=(["pseudonymization", "generalization"], 5, 0.03),
    ),
    # ------------------------------------------------------------------ standalone: biomedicine
    dict(
        id="gut-microbiome-t2d", kind="published",
        t=("2 型糖尿病患者肠道菌群宏基因组数据集", "Gut Microbiome Metagenomes of Type 2 Diabetes Patients"),
        d=("广东省 2020—2021 年招募的 1,200 名新诊断 2 型糖尿病患者与 800 名对照的粪便宏基因组测序数据及菌属相对丰度表。宿主人源读段已去除，临床变量仅保留年龄组、性别、体质指数和糖化血红蛋白。",
           "Faecal metagenome sequencing data and genus relative-abundance tables of 1,200 newly diagnosed type 2 diabetes patients and 800 controls recruited in Guangdong, 2020-2021. Human host reads were removed and clinical variables limited to age band, sex, BMI and HbA1c."),
        kw=(["肠道菌群", "宏基因组", "2 型糖尿病"], ["gut microbiome", "metagenomics", "type 2 diabetes"]),
        dom="BM", cat="HS", lvl=3, mode="conditional", pub="ngdc", cre=["ngdc", "gdcdc", "zhang-wei"],
        per=("2020-01-01", "2021-12-31"), n=(2000, 2000), age=(30, 75),
        cols="pid sex age_group bmi hba1c taxon rel_abund", dist=[("ZIP", 610000), ("CSV", 22)],
        hc=["HPML", "RQSH"], typ="STATISTICAL", freq="NEVER", ver="1.0", fund=["nsfc-micro"], papers=["2022.1207"],
        issued="2022-06-30", deid=(["pseudonymization", "suppression"], 5, 0.02),
    ),
    dict(
        id="sars-cov-2-genomes-cn", kind="published",
        t=("中国 SARS-CoV-2 病毒基因组序列数据集", "SARS-CoV-2 Genome Sequences from China"),
        d=("汇集 2022—2023 年全国疾控系统哨点监测上传的约 6.8 万条 SARS-CoV-2 全基因组序列及 Pango 谱系、采样月份和省份。仅含病毒序列与省级元数据，不含患者信息。",
           "About 68,000 SARS-CoV-2 whole-genome sequences uploaded by CDC sentinel surveillance in 2022-2023, with Pango lineage, collection month and province. Viral sequences and province-level metadata only; no patient information."),
        kw=(["新型冠状病毒", "病毒基因组", "变异株监测"], ["SARS-CoV-2", "viral genome", "variant surveillance"]),
        dom="BM", cat="PH", lvl=1, mode="open", pub="ngdc", cre=["ngdc", "chinacdc"],
        per=("2022-12-01", "2023-12-31"), n=(68000, None), age=None,
        cols="region collection_month lineage", dist=[("ZIP", 2100), ("CSV", 4)],
        hc=["RPDG"], typ="STATISTICAL", freq="MONTHLY", ver="1.0",
        issued="2024-02-01", lic="CC_BY_4_0",
        prov=("由省级疾控中心测序后通过国家病原微生物基因组数据平台上传。", "Sequenced by provincial CDCs and uploaded through the national pathogen genome data platform."),
    ),
    dict(
        id="hcc-proteomics", kind="published",
        t=("肝细胞癌蛋白质组与临床数据集", "Hepatocellular Carcinoma Proteome and Clinical Dataset"),
        d=("包含 2016—2019 年复旦大学附属中山医院 159 例乙肝相关肝细胞癌患者癌与癌旁组织的定量蛋白质组数据及临床随访信息。临床变量经假名化与泛化处理，质谱原始文件另行存放。",
           "Quantitative proteomes of tumour and adjacent tissues from 159 patients with HBV-related hepatocellular carcinoma at Zhongshan Hospital, Fudan University, 2016-2019, with clinical follow-up. Clinical variables pseudonymised and generalised; raw mass-spectrometry files stored separately."),
        kw=(["肝细胞癌", "蛋白质组学", "精准医学"], ["hepatocellular carcinoma", "proteomics", "precision medicine"]),
        dom="BM", cat="HS", lvl=3, mode="conditional", pub="fudan", cre=["fudan", "wang-jianguo"],
        per=("2016-01-01", "2019-12-31"), n=(1400000, 159), age=(28, 80),
        cols="pid protein_id abundance afp", dist=[("CSV", 240), ("ZIP", 180000)],
        hc=["HPML", "EINS"], typ="STATISTICAL", freq="NEVER", ver="1.0", fund=["nkrd-precision"],
        issued="2020-11-11", cstr="sdb", papers=["2021.1110"],
        deid=(["pseudonymization", "generalization"], 3, 0.06),
    ),
    dict(
        id="rare-disease-registry-pumch", kind="published",
        t=("中国罕见病登记队列数据集", "China Rare Disease Registry Cohort"),
        d=("北京协和医院牵头的罕见病登记系统 2016—2023 年登记的约 6.5 万名患者，覆盖《第一批罕见病目录》中的 121 种疾病。含详细表型（HPO）、基因诊断和治疗信息，极少数病种患者可被间接识别，因此仅在登记系统内部使用。",
           "About 65,000 patients registered in the rare disease registry led by Peking Union Medical College Hospital, 2016-2023, covering 121 diseases of the first national rare disease list. Includes detailed phenotypes (HPO), genetic diagnoses and treatments; patients with very rare diseases could be indirectly identified, so the data stay inside the registry."),
        kw=(["罕见病", "登记", "表型", "基因诊断"], ["rare disease", "registry", "phenotype", "genetic diagnosis"]),
        dom="BM", cat="PA HS MA", lvl=5, mode="closed", pub="pumch", cre=["pumch", "cams", "li-xiaoyan"],
        per=("2016-01-01", "2023-12-31"), n=(65000, 65000), age=(0, 90),
        cols="pid sex age disease_code hpo gene", dist=[("CSV", 210)],
        hc=["MRMR", "HGPD"], typ="STATISTICAL", freq="CONT", ver="3.2", std=["icd-10", "snomed-ct"],
        fund=["nkrd-precision"], issued="2024-01-08", deid=(["pseudonymization"], 1, 0.3),
    ),
    dict(
        id="hiv-drug-resistance", kind="published",
        t=("HIV-1 耐药监测基因型数据集", "HIV-1 Drug Resistance Surveillance Genotypes"),
        d=("中国疾病预防控制中心 2018—2022 年全国 HIV-1 耐药监测获得的约 2.4 万条 pol 区序列、亚型、耐药突变和 CD4 计数。属于特殊病种敏感数据，仅在国家艾滋病防治数据安全环境中供授权人员使用。",
           "About 24,000 HIV-1 pol sequences with subtype, resistance mutations and CD4 counts from national HIV drug resistance surveillance by China CDC, 2018-2022. Highly sensitive special-disease data, used only by authorised staff in the national HIV/AIDS data security environment."),
        kw=(["HIV", "耐药", "分子流行病学"], ["HIV", "drug resistance", "molecular epidemiology"]),
        dom="BM", cat="HS PH", lvl=5, mode="closed", pub="chinacdc", cre=["chinacdc"],
        per=("2018-01-01", "2022-12-31"), n=(24000, 23500), age=(15, 85),
        cols="pid region mutation cd4", dist=[("CSV", 90)],
        hc=["RPDG", "PHDR"], typ="STATISTICAL", freq="ANNUAL", ver="1.0",
        issued="2023-07-01", deid=(["pseudonymization", "cryptographic"], 1, 0.25),
    ),
    dict(
        id="brain-mri-aging", kind="published",
        t=("中国成人脑结构 MRI 老化数据集", "Chinese Adult Brain MRI Ageing Dataset"),
        d=("瑞金医院 2018—2022 年采集的 3,400 名 40—85 岁社区成人 3T 脑结构 MRI（T1、FLAIR）及认知评分。影像已去面部、去 DICOM 头标识，可用于脑龄预测与神经退行性疾病研究。",
           "3T structural brain MRI (T1, FLAIR) and cognitive scores of 3,400 community adults aged 40-85 scanned at Ruijin Hospital, 2018-2022. Images were defaced and DICOM header identifiers removed; for brain-age and neurodegeneration research."),
        kw=(["脑 MRI", "脑老化", "认知"], ["brain MRI", "brain ageing", "cognition"]),
        dom="BM", cat="HS MA", lvl=3, mode="conditional", pub="ruijin", cre=["ruijin", "yang-fan", "guo-tao"],
        per=("2018-01-01", "2022-12-31"), n=(6800, 3400), age=(40, 85),
        cols=None, dist=[("DICOM", 980000)],
        hc=["EMRD", "RQSH"], typ="STATISTICAL", freq="NEVER", ver="1.0", std=["dicom"], fund=["nkrd-aging"],
        issued="2023-04-18", deid=(["suppression", "pseudonymization"], 5, 0.04),
    ),
    # ------------------------------------------------------------------ standalone: clinical medicine
    dict(
        id="sepsis-icu-pumch", kind="published",
        t=("重症监护病房脓毒症患者临床数据集", "ICU Sepsis Patients Clinical Dataset"),
        d=("北京协和医院重症医学科 2014—2021 年收治的约 6,300 名脓毒症患者的入科 24 小时生命体征、实验室检查、SOFA 评分与 28 天结局。时间已偏移，患者编号已假名化，可用于脓毒症早期预警与预后研究。",
           "Vital signs and laboratory results in the first 24 h, SOFA scores and 28-day outcomes of about 6,300 sepsis patients admitted to the PUMCH ICU, 2014-2021. Times were shifted and patient numbers pseudonymised; for sepsis early-warning and prognosis research."),
        kw=(["脓毒症", "重症医学", "预后"], ["sepsis", "critical care", "prognosis"]),
        dom="CM", cat="HS MA", lvl=3, mode="conditional", pub="pumch", cre=["pumch", "wang-jianguo"],
        per=("2014-01-01", "2021-12-31"), n=(410000, 6300), age=(18, 95),
        cols="pid sex age_group sofa lactate outcome28", dist=[("CSV", 160)],
        hc=["EHRS"], typ="STATISTICAL", freq="NEVER", ver="1.0", std=["loinc", "icd-10"],
        issued="2022-03-15", papers=["2022.0311"], deid=(["pseudonymization", "randomization", "generalization"], 5, 0.03),
    ),
    dict(
        id="ami-registry-ruijin", kind="published",
        t=("急性心肌梗死介入治疗登记数据集", "Acute Myocardial Infarction PCI Registry"),
        d=("瑞金医院胸痛中心 2015—2022 年约 1.1 万例急性心肌梗死患者的救治时间节点、肌钙蛋白、介入治疗和一年随访结局。含精确时间戳与院内编号，仅供中心内研究使用。",
           "Treatment time points, troponin, PCI and one-year outcomes of about 11,000 patients with acute myocardial infarction at the Ruijin Hospital chest pain centre, 2015-2022. Contains exact timestamps and hospital numbers; for in-centre research only."),
        kw=(["急性心肌梗死", "胸痛中心", "PCI"], ["acute myocardial infarction", "chest pain centre", "PCI"]),
        dom="CM", cat="HS MA", lvl=4, mode="closed", pub="ruijin", cre=["ruijin", "zhang-wei"],
        per=("2015-01-01", "2022-12-31"), n=(11200, 11000), age=(20, 95),
        cols="pid sex age troponin pci los", dist=[("CSV", 45)],
        hc=["MRMR", "EHRS"], typ="STATISTICAL", freq="ANNUAL", ver="1.0", std=["icd-10"],
        issued="2023-03-20", deid=(["pseudonymization"], 1, 0.2),
    ),
    dict(
        id="pediatric-cap-zj", kind="published",
        t=("儿童社区获得性肺炎多中心数据集", "Multicentre Paediatric Community-Acquired Pneumonia Dataset"),
        d=("浙江省 9 家医院 2018—2021 年约 2.4 万名住院儿童社区获得性肺炎的病原学检测、炎症指标与治疗信息。数据经假名化和年龄泛化处理，主要论文发表前处于保护期。",
           "Pathogen tests, inflammatory markers and treatment of about 24,000 children hospitalised with community-acquired pneumonia in nine Zhejiang hospitals, 2018-2021. Pseudonymised with generalised age; under embargo until the main paper is published."),
        kw=(["社区获得性肺炎", "儿童", "病原学"], ["community-acquired pneumonia", "children", "aetiology"]),
        dom="CM", cat="HS MA", lvl=3, mode="embargoed", pub="zjhdp", cre=["zjhdp", "zhou-ting", "xu-li"],
        per=("2018-01-01", "2021-12-31"), n=(24000, 24000), age=(0, 14),
        cols="pid sex age_group pathogen crp los", dist=[("CSV", 18)],
        hc=["EHRS", "RPDG"], typ="STATISTICAL", freq="NEVER", ver="1.0", std=["icd-10"],
        issued="2023-10-10", emb="2025-10-31", deid=(["pseudonymization", "generalization"], 5, 0.03),
    ),
    dict(
        id="breast-pathology-wsi", kind="published",
        t=("乳腺癌病理全切片图像数据集", "Breast Cancer Pathology Whole-Slide Image Dataset"),
        d=("复旦大学附属肿瘤医院 2017—2020 年 1,000 例乳腺癌手术标本的 HE 染色全切片图像及 HER2 与分子分型标签。图像不含患者标识，切片标签已重新编号，可开放用于病理人工智能研究。",
           "H&E whole-slide images of 1,000 breast cancer surgical specimens from Fudan University Shanghai Cancer Center, 2017-2020, with HER2 and molecular subtype labels. Images carry no patient identifiers and slide labels were renumbered; open for pathology AI research."),
        kw=(["乳腺癌", "数字病理", "全切片图像", "人工智能"], ["breast cancer", "digital pathology", "whole-slide image", "artificial intelligence"]),
        dom="CM", cat="MA", lvl=2, mode="open", pub="fudan", cre=["fudan", "hu-jia"],
        per=("2017-01-01", "2020-12-31"), n=(1000, 1000), age=(25, 85),
        cols=None, dist=[("ZIP", 820000)],
        hc=["EHRS", "EINS"], typ="STATISTICAL", freq="NEVER", ver="1.0",
        issued="2021-12-20", cstr="sdb", papers=["2022.0620"], lic="CC_BY_NC_4_0",
        deid=(["suppression", "pseudonymization"], 10, 0.01),
    ),
    dict(
        id="ckd-cohort-wchscu", kind="published",
        t=("西南地区慢性肾脏病队列数据集", "South-West China Chronic Kidney Disease Cohort"),
        d=("华西医院 2012—2022 年随访的约 1.6 万名慢性肾脏病患者的肾功能、用药、住院费用与终点事件。包含医保结算明细与精确日期，仅在医院数据安全实验室内供项目组使用。",
           "Kidney function, medication, hospital costs and end-point events of about 16,000 CKD patients followed by West China Hospital, 2012-2022. Contains insurance settlement details and exact dates; used only by the project team in the hospital data safe room."),
        kw=(["慢性肾脏病", "队列", "终末期肾病"], ["chronic kidney disease", "cohort", "end-stage renal disease"]),
        dom="CM", cat="HS MA MP", lvl=4, mode="closed", pub="wchscu", cre=["wchscu", "liu-yang"],
        per=("2012-01-01", "2022-12-31"), n=(390000, 16000), age=(18, 90),
        cols="pid sex age egfr creatinine ckd_stage cost_total", dist=[("CSV", 260), ("SAS", 300)],
        hc=["EHRS", "HRAD"], typ="STATISTICAL", freq="ANNUAL", ver="1.0", std=["omop-cdm", "loinc", "icd-10"],
        issued="2023-05-30", deid=(["pseudonymization"], 1, 0.15),
    ),
    dict(
        id="ecg-12lead-ruijin", kind="published",
        t=("12 导联静息心电图数据集", "12-Lead Resting ECG Dataset"),
        d=("瑞金医院心电图室 2019—2021 年约 4.5 万份 12 导联静息心电图（500 Hz，10 秒）及医师复核的心律诊断标签。仅保留性别和 10 岁年龄组，检查时间已删除，可开放用于心电人工智能研究。",
           "About 45,000 12-lead resting ECGs (500 Hz, 10 s) recorded at Ruijin Hospital, 2019-2021, with physician-reviewed rhythm labels. Only sex and ten-year age band are kept and recording times removed; open for ECG AI research."),
        kw=(["心电图", "心律失常", "人工智能"], ["electrocardiogram", "arrhythmia", "artificial intelligence"]),
        dom="CM", cat="HS MA", lvl=2, mode="open", pub="ruijin", cre=["ruijin", "chen-jing"],
        per=("2019-01-01", "2021-12-31"), n=(45000, 38000), age=(18, 95),
        cols="pid sex age_group rhythm qtc", dist=[("ZIP", 3900), ("CSV", 5)],
        hc=["EMRD"], typ="STATISTICAL", freq="NEVER", ver="1.0",
        issued="2022-10-28", papers=["2023.0115"], lic="CC_BY_4_0",
        deid=(["suppression", "generalization", "k-anonymity"], 10, 0.01),
    ),
    dict(
        id="gd-discharge-abstracts", kind="published",
        t=("广东省住院病案首页数据集", "Guangdong Inpatient Discharge Abstracts"),
        d=("广东省 2019—2022 年二级及以上医院住院病案首页，约 6,200 万人次，含诊断、手术、费用和医保类型。记录级数据含出生日期与住址编码，仅在平台隐私计算环境中供审批项目使用。",
           "Inpatient discharge abstracts of secondary and tertiary hospitals in Guangdong, 2019-2022, about 62 million admissions with diagnoses, procedures, costs and insurance scheme. Record-level data include date of birth and address codes; available only to approved projects in the platform's privacy-preserving computing environment."),
        kw=(["病案首页", "住院", "疾病诊断相关分组"], ["discharge abstract", "hospitalisation", "DRG"]),
        dom="CM", cat="PA MA MP", lvl=4, mode="closed", pub="gdhdp", cre=["gdhdp"],
        per=("2019-01-01", "2022-12-31"), n=(62000000, 31000000), age=(0, 105),
        cols="pid sex age county diag_icd10 los cost_total insurance_type", dist=[("CSV", 56000)],
        hc=["EHRS", "HRAD"], typ="STATISTICAL", freq="ANNUAL", ver="1.0", std=["icd-10", "gb-t-14396", "ws-445"],
        issued="2023-08-15", deid=(["pseudonymization"], 1, 0.3),
    ),
    # ------------------------------------------------------------------ standalone: public health
    dict(
        id="hfmd-surveillance-gd", kind="published",
        t=("广东省手足口病监测数据集", "Guangdong Hand, Foot and Mouth Disease Surveillance"),
        d=("广东省 2014—2023 年按区县和周次汇总的手足口病报告病例数、发病率及 EV71 与 CVA16 病原构成。来源为法定传染病报告系统汇总数据，病例数小于 5 的单元格已抑制。",
           "Reported hand, foot and mouth disease cases, incidence and EV71/CVA16 pathogen composition by county and week in Guangdong, 2014-2023. Aggregated from the notifiable disease reporting system; cells with fewer than five cases suppressed."),
        kw=(["手足口病", "传染病监测", "肠道病毒"], ["hand, foot and mouth disease", "infectious disease surveillance", "enterovirus"]),
        dom="PH", cat="PH", lvl=2, mode="open", pub="gdcdc", cre=["gdcdc", "zhang-wei"],
        per=("2014-01-01", "2023-12-31"), n=(63000, None), age=(0, 14),
        cols="county week cases incidence", dist=[("CSV", 3), ("XLSX", 2.5)],
        hc=["PHDR"], typ="STATISTICAL", freq="WEEKLY", ver="1.0", std=["ws-t-363"],
        issued="2024-02-20", lic="CC_BY_4_0",
        prov=("由广东省疾控中心从中国疾病预防控制信息系统导出并按区县-周汇总。", "Exported by Guangdong CDC from the China Disease Prevention and Control Information System and aggregated to county-weeks."),
    ),
    dict(
        id="tb-case-registry", kind="published",
        t=("全国肺结核患者登记管理数据集", "National Tuberculosis Patient Registry"),
        d=("结核病管理信息系统 2015—2022 年登记的约 550 万例肺结核患者个案，含诊断分类、耐药检测、治疗方案和转归。包含身份证号加密值与现住址，仅在国家结核病防治数据安全环境中供授权人员使用。",
           "About 5.5 million tuberculosis patient records in the TB management information system, 2015-2022, with diagnosis type, drug-susceptibility testing, regimen and outcome. Includes encrypted ID numbers and current address; used only by authorised staff in the national TB data security environment."),
        kw=(["肺结核", "病例登记", "治疗转归"], ["tuberculosis", "case registry", "treatment outcome"]),
        dom="PH", cat="PA HS PH", lvl=4, mode="closed", pub="chinacdc", cre=["chinacdc"],
        per=("2015-01-01", "2022-12-31"), n=(5500000, 5400000), age=(0, 100),
        cols="pid sex age county diag_icd10 treatment_outcome", dist=[("CSV", 7400)],
        hc=["PHDR"], typ="STATISTICAL", freq="ANNUAL", ver="1.0", std=["icd-10"],
        issued="2023-04-01", deid=(["cryptographic"], 1, 0.4),
    ),
    dict(
        id="immunization-coverage-gd", kind="published",
        t=("广东省国家免疫规划疫苗接种率数据集", "Guangdong National Immunisation Programme Coverage"),
        d=("广东省 2016—2023 年按地市和疫苗汇总的适龄儿童国家免疫规划疫苗接种率。数据来自免疫规划信息系统的汇总报表，不含个体接种记录。",
           "Coverage of National Immunisation Programme vaccines among eligible children by prefecture and vaccine in Guangdong, 2016-2023. From aggregated reports of the immunisation information system; no individual vaccination records."),
        kw=(["免疫规划", "疫苗接种率", "儿童"], ["immunisation programme", "vaccination coverage", "children"]),
        dom="PH", cat="PH", lvl=1, mode="open", pub="gdcdc", cre=["gdcdc"],
        per=("2016-01-01", "2023-12-31"), n=(2100, None), age=(0, 6),
        cols="region year vaccine coverage", dist=[("CSV", 0.2), ("XLSX", 0.3)],
        hc=["PHDR"], typ="STATISTICAL", freq="ANNUAL", ver="1.0",
        issued="2024-04-25", lic="CC0",
        prov=("由免疫规划信息系统年度汇总报表整理。", "Compiled from the annual summary reports of the immunisation information system."),
    ),
    dict(
        id="pm25-mortality-cities", kind="published",
        t=("中国 272 个城市 PM2.5 与每日死亡时间序列数据集", "PM2.5 and Daily Mortality Time Series in 272 Chinese Cities"),
        d=("整合 2013—2017 年 272 个城市的日均 PM2.5 浓度、气温和按死因汇总的每日死亡数。死亡数据来自死因监测系统并在城市-日层面汇总，可用于大气污染短期健康效应研究。",
           "Daily mean PM2.5, temperature and daily deaths by cause in 272 Chinese cities, 2013-2017. Deaths come from the cause-of-death surveillance system aggregated to city-days; for studies of short-term health effects of air pollution."),
        kw=(["大气污染", "PM2.5", "死亡", "时间序列"], ["air pollution", "PM2.5", "mortality", "time series"]),
        dom="PH", cat="PH HS", lvl=2, mode="open", pub="pkusph", cre=["pkusph", "wu-hao", "sun-zhiqiang"],
        per=("2013-01-01", "2017-12-31"), n=(496000, None), age=None,
        cols="region year pm25 temp cause_icd10 deaths", dist=[("CSV", 38), ("JSON", 70)],
        hc=["DIOH", "MRMR"], typ="STATISTICAL", freq="NEVER", ver="1.0", fund=["nsfc-air"], papers=["2019.0912"],
        issued="2019-10-08", cstr="sdb", lic="CC_BY_4_0",
        deid=(["statistical", "suppression"], 10, 0.001),
    ),
    dict(
        id="dengue-gd-outbreak", kind="published",
        t=("广东省登革热病例流行病学数据集", "Guangdong Dengue Case Epidemiology Dataset"),
        d=("广东省 2013—2019 年约 6.3 万例登革热病例的发病周、区县、血清型和输入/本地属性。个案按区县-周泛化，申请人需说明研究用途并接受数据使用协议。",
           "Onset week, county, serotype and imported/local status of about 63,000 dengue cases in Guangdong, 2013-2019. Cases are generalised to county-week; applicants state the research purpose and accept a data use agreement."),
        kw=(["登革热", "虫媒传染病", "暴发"], ["dengue", "vector-borne disease", "outbreak"]),
        dom="PH", cat="PH HS", lvl=3, mode="conditional", pub="gdcdc", cre=["gdcdc", "huang-lei"],
        per=("2013-01-01", "2019-12-31"), n=(63000, 63000), age=(0, 95),
        cols="county onset_week age_group serotype", dist=[("CSV", 4)],
        hc=["PHDR", "RPDG"], typ="STATISTICAL", freq="NEVER", ver="1.0", std=["icd-10"],
        issued="2020-12-01", deid=(["generalization", "k-anonymity"], 5, 0.03),
    ),
    dict(
        id="student-fitness-survey", kind="published",
        t=("全国学生体质与健康调研数据集", "National Student Physical Fitness and Health Survey"),
        d=("2014 年和 2019 年全国学生体质与健康调研中 7—22 岁学生的身体形态、机能和素质测试数据，约 42 万人。学校和个人标识已删除，年龄按岁泛化，地区保留到省份。",
           "Body shape, function and fitness test data of about 420,000 students aged 7-22 from the 2014 and 2019 national student physical fitness and health surveys. School and personal identifiers removed, age generalised to years and location kept at province level."),
        kw=(["学生体质", "儿童青少年", "肥胖"], ["student fitness", "children and adolescents", "obesity"]),
        dom="HM", cat="HS", lvl=2, mode="open", pub="pkusph", cre=["pkusph", "zhao-min"],
        per=("2014-09-01", "2019-12-31"), n=(420000, 420000), age=(7, 22),
        cols="pid sex age region bmi vital_capacity run50", dist=[("CSV", 52), ("SAS", 60)],
        hc=["RQSH"], typ="STATISTICAL", freq="IRREG", ver="1.0",
        issued="2021-05-20", cstr="sdb", papers=["2021.0520"], lic="CC_BY_NC_4_0",
        deid=(["suppression", "generalization", "k-anonymity"], 10, 0.01),
    ),
    dict(
        id="cause-of-death-surveillance", kind="published",
        t=("全国死因监测数据集（2014—2021）", "National Cause-of-Death Surveillance Dataset (2014-2021)"),
        d=("全国 605 个死因监测点 2014—2021 年按监测点、性别、年龄组和根本死因汇总的死亡数及人口数。小单元格未抑制，可推算个体死亡信息，因此需申请审批后使用。",
           "Deaths and population by surveillance point, sex, age band and underlying cause at 605 national cause-of-death surveillance points, 2014-2021. Small cells are not suppressed and could reveal individual deaths, so use requires an approved application."),
        kw=(["死因监测", "死亡率", "疾病负担"], ["cause-of-death surveillance", "mortality", "disease burden"]),
        dom="PH", cat="PH HS", lvl=3, mode="conditional", pub="chinacdc", cre=["chinacdc", "zhou-ting"],
        per=("2014-01-01", "2021-12-31"), n=(3900000, None), age=(0, 100),
        cols="county year sex age_group cause_icd10 deaths", dist=[("CSV", 150)],
        hc=["MRMR"], typ="STATISTICAL", freq="ANNUAL", ver="1.0", std=["icd-10", "icd-11"],
        issued="2022-09-30", deid=(["statistical"], 1, 0.05),
    ),
    dict(
        id="pneumoconiosis-sc", kind="published",
        t=("四川省职业性尘肺病病例数据集", "Sichuan Occupational Pneumoconiosis Cases"),
        d=("四川省职业病报告系统 2010—2022 年新诊断尘肺病病例，含行业、接尘工龄、诊断分期和随访状态。患者姓名与身份证号已删除，但企业信息可间接识别个人，因此不对外提供。",
           "Newly diagnosed pneumoconiosis cases in the Sichuan occupational disease reporting system, 2010-2022, with industry, years of dust exposure, stage and follow-up status. Names and ID numbers removed, but employer details could indirectly identify persons, so the data are not shared."),
        kw=(["尘肺病", "职业病", "职业卫生"], ["pneumoconiosis", "occupational disease", "occupational health"]),
        dom="PH", cat="HS PH", lvl=3, mode="closed", pub="schdp", cre=["schdp", "liu-yang"],
        per=("2010-01-01", "2022-12-31"), n=(21000, 21000), age=(20, 90),
        cols="pid sex age_group dust_years pn_stage", dist=[("XLSX", 6)],
        hc=["PHDR", "DIOH"], typ="STATISTICAL", freq="ANNUAL", ver="1.0",
        issued="2023-06-28", deid=(["suppression", "pseudonymization"], 2, 0.1),
    ),
    dict(
        id="adult-tobacco-survey", kind="published",
        t=("中国成人烟草调查数据集", "China Adult Tobacco Survey"),
        d=("2018 年中国成人烟草调查中 15 岁及以上约 1.9 万名居民的吸烟行为、二手烟暴露和戒烟意愿数据。采用多阶段分层整群抽样和入户电子问卷调查，个人标识已删除并提供抽样权重。",
           "Smoking behaviour, second-hand smoke exposure and quit intentions of about 19,000 residents aged 15 and over in the 2018 China Adult Tobacco Survey. Collected by multistage stratified cluster sampling with household electronic questionnaires; personal identifiers removed and sampling weights provided."),
        kw=(["烟草", "吸烟", "二手烟", "调查"], ["tobacco", "smoking", "second-hand smoke", "survey"]),
        dom="PH", cat="HS PH", lvl=2, mode="open", pub="chinacdc", cre=["chinacdc", "huang-lei"],
        per=("2018-08-01", "2018-12-31"), n=(19400, 19400), age=(15, 95),
        cols="pid sex age_group region smoking cigarettes", dist=[("CSV", 3), ("SAS", 4)],
        hc=["RQSH", "DIOH"], typ="STATISTICAL", freq="IRREG", ver="1.0",
        issued="2020-05-31", lic="CC_BY_4_0", deid=(["suppression", "generalization", "k-anonymity"], 10, 0.01),
    ),
    # ------------------------------------------------------------------ standalone: health management
    dict(
        id="elderly-longitudinal-survey", kind="published",
        t=("中国老年健康影响因素跟踪调查数据集", "Chinese Longitudinal Healthy Longevity Survey Dataset"),
        d=("2008—2018 年五轮追踪调查中 65 岁及以上约 4.3 万名老年人的日常生活能力、认知功能、慢性病和生活方式数据。采用入户访谈，超高龄老人样本比例较高，个体编号已假名化。",
           "Activities of daily living, cognition, chronic diseases and lifestyle of about 43,000 people aged 65 and over from five follow-up waves, 2008-2018. Household interviews with oversampling of the oldest old; individual IDs pseudonymised."),
        kw=(["老年健康", "长寿", "认知功能", "追踪调查"], ["healthy ageing", "longevity", "cognitive function", "longitudinal survey"]),
        dom="HM", cat="HS PA", lvl=3, mode="conditional", pub="pkusph", cre=["pkusph", "wu-hao", "li-xiaoyan"],
        per=("2008-01-01", "2018-12-31"), n=(96000, 43000), age=(65, 110),
        cols="pid sex age region adl mmse smoking", dist=[("SAS", 180), ("CSV", 140)],
        hc=["RQSH"], typ="STATISTICAL", freq="IRREG", ver="1.0", fund=["nkrd-aging"], papers=["2020.0418"],
        issued="2020-04-18", cstr="sdb", deid=(["pseudonymization", "generalization"], 5, 0.04),
    ),
    dict(
        id="hypertension-community-zj", kind="published",
        t=("浙江省社区高血压患者健康管理数据集", "Zhejiang Community Hypertension Management Dataset"),
        d=("浙江省 2017—2022 年基本公共卫生服务中纳入管理的约 45 万名高血压患者的随访血压、用药和控制达标情况。患者编号已假名化，随访日期粗化到月。",
           "Follow-up blood pressure, medication and control status of about 450,000 hypertensive patients managed under the basic public health service in Zhejiang, 2017-2022. Patient IDs pseudonymised and follow-up dates coarsened to months."),
        kw=(["高血压", "社区管理", "基本公共卫生服务"], ["hypertension", "community management", "basic public health service"]),
        dom="HM", cat="HS MA", lvl=3, mode="conditional", pub="zjhdp", cre=["zjhdp", "zjcdc"],
        per=("2017-01-01", "2022-12-31"), n=(8100000, 450000), age=(35, 100),
        cols="pid sex age_group visit_month sbp dbp bp_controlled follow_ups", dist=[("CSV", 900)],
        hc=["EHRS"], typ="STATISTICAL", freq="ANNUAL", ver="1.0", std=["ws-t-363", "hl7-fhir-r4"],
        issued="2023-07-20", deid=(["pseudonymization", "generalization"], 5, 0.03),
    ),
    dict(
        id="wearable-sleep-activity", kind="published",
        t=("可穿戴设备睡眠与身体活动数据集", "Wearable Sleep and Physical Activity Dataset"),
        d=("复旦大学 2021—2022 年招募的约 5,000 名上海成人连续 14 天佩戴腕式设备记录的睡眠时长、日步数和静息心率。仅保留日级汇总指标，年龄按 10 岁分组，可开放用于生活方式流行病学研究。",
           "Sleep duration, daily steps and resting heart rate of about 5,000 Shanghai adults recruited by Fudan University in 2021-2022 who wore wrist devices for 14 consecutive days. Only daily summaries kept and age grouped in ten-year bands; open for lifestyle epidemiology."),
        kw=(["可穿戴设备", "睡眠", "身体活动"], ["wearable device", "sleep", "physical activity"]),
        dom="HM", cat="HS", lvl=2, mode="open", pub="fudan", cre=["fudan", "xu-li"],
        per=("2021-03-01", "2022-06-30"), n=(70000, 5000), age=(18, 75),
        cols="pid sex age_group sleep_min steps hr_rest", dist=[("CSV", 6), ("JSON", 11)],
        hc=["WELA", "PGEH"], typ="STATISTICAL", freq="NEVER", ver="1.0",
        issued="2022-11-15", cstr="sdb", lic="CC_BY_4_0",
        deid=(["generalization", "k-anonymity", "randomization"], 10, 0.01),
    ),
    dict(
        id="family-doctor-contract-zj", kind="published",
        t=("浙江省家庭医生签约服务统计数据集", "Zhejiang Family Doctor Contract Service Statistics"),
        d=("浙江省 2018—2023 年按区县汇总的家庭医生签约居民数、重点人群签约率和年度随访服务次数。数据由签约服务系统记录汇总而来，最小单元为区县-年。",
           "Contracted residents, contract rates of priority groups and follow-up services per year by county in Zhejiang, 2018-2023. Aggregated from the contract service system records; the smallest unit is county-year."),
        kw=(["家庭医生", "签约服务", "基层卫生"], ["family doctor", "contract service", "primary care"]),
        dom="HM", cat="MA HR", lvl=2, mode="open", pub="zjhdp", cre=["zjhdp"],
        per=("2018-01-01", "2023-12-31"), n=(540, None), age=None,
        cols="county year contracted follow_ups", dist=[("CSV", 0.1), ("XLSX", 0.1)],
        hc=["NRPE"], typ="STATISTICAL", freq="ANNUAL", ver="1.0",
        issued="2024-03-28", lic="hdlic:public-welfare-free", deid=(["statistical"], 20, 0.001),
    ),
    dict(
        id="health-workforce-sc", kind="published",
        t=("四川省卫生机构床位与人力资源数据集", "Sichuan Health Institution Beds and Workforce"),
        d=("四川省 2015—2022 年按区县和机构类型汇总的床位数、执业（助理）医师数和注册护士数。来自卫生资源统计年报，不含个人信息。",
           "Beds, licensed (assistant) physicians and registered nurses by county and institution type in Sichuan, 2015-2022. From the annual health resources statistics; no personal information."),
        kw=(["卫生资源", "卫生人力", "四川"], ["health resources", "health workforce", "Sichuan"]),
        dom="HM", cat="HR", lvl=1, mode="open", pub="schdp", cre=["schdp"],
        per=("2015-01-01", "2022-12-31"), n=(1460, None), age=None,
        cols="county year hospital_level beds doctors nurses", dist=[("CSV", 0.3), ("XLSX", 0.4)],
        hc=["NRPE", "IDHP"], typ="STATISTICAL", freq="ANNUAL", ver="1.0",
        issued="2023-06-30", lic="CC_BY_4_0",
        prov=("由四川省卫生健康统计年报整理。", "Compiled from the Sichuan annual health statistics reports."),
    ),
    dict(
        id="gdm-pregnancy-cohort-gd", kind="published",
        t=("广东省妊娠糖尿病出生队列数据集", "Guangdong Gestational Diabetes Birth Cohort"),
        d=("广州和深圳 2017—2020 年约 1.5 万名孕妇的孕期 OGTT、妊娠糖尿病诊断、体重增长和分娩结局。孕妇编号已假名化，日期转为孕周表示。",
           "Pregnancy OGTT results, gestational diabetes diagnosis, weight gain and delivery outcomes of about 15,000 pregnant women in Guangzhou and Shenzhen, 2017-2020. IDs pseudonymised and dates expressed as gestational weeks."),
        kw=(["妊娠糖尿病", "出生队列", "孕期保健"], ["gestational diabetes", "birth cohort", "antenatal care"]),
        dom="HM", cat="HS MA", lvl=3, mode="conditional", pub="gdhdp", cre=["gdhdp", "gdcdc", "zhang-wei"],
        per=("2017-01-01", "2020-12-31"), n=(15000, 15000), age=(18, 48),
        cols="pid age_group bmi ogtt2h gdm gest_week birth_weight", dist=[("CSV", 5), ("SAS", 6)],
        hc=["RQSH", "EHRS"], typ="STATISTICAL", freq="NEVER", ver="1.0", fund=["nkrd-repro"],
        issued="2021-11-20", deid=(["pseudonymization", "generalization"], 5, 0.03),
    ),
    dict(
        id="adolescent-depression-screening", kind="published",
        t=("四川省青少年抑郁筛查数据集", "Sichuan Adolescent Depression Screening Dataset"),
        d=("四川省 2020—2022 年约 12 万名中学生 PHQ-9 抑郁筛查结果与转诊随访信息。属于精神卫生敏感数据，涉及未成年人，仅在华西医院数据安全实验室内供授权研究者使用。",
           "PHQ-9 depression screening results and referral follow-up of about 120,000 secondary school students in Sichuan, 2020-2022. Sensitive mental health data about minors, used only by authorised researchers in the West China Hospital data safe room."),
        kw=(["青少年", "抑郁", "心理健康", "筛查"], ["adolescents", "depression", "mental health", "screening"]),
        dom="HM", cat="PA HS", lvl=5, mode="closed", pub="wchscu", cre=["wchscu", "sun-zhiqiang"],
        per=("2020-09-01", "2022-07-31"), n=(120000, 120000), age=(12, 18),
        cols="pid sex age county phq9", dist=[("CSV", 14)],
        hc=["RQSH"], typ="STATISTICAL", freq="ANNUAL", ver="1.0", fund=["nsfc-mental"],
        issued="2023-03-01", deid=(["pseudonymization"], 1, 0.3),
    ),
    dict(
        id="oral-health-survey", kind="published",
        t=("第四次全国口腔健康流行病学调查数据集", "Fourth National Oral Health Epidemiological Survey"),
        d=("2015—2016 年第四次全国口腔健康流行病学调查中 3—74 岁约 17 万名调查对象的龋齿、牙周和口腔卫生行为数据。采用多阶段分层随机抽样和统一口腔检查，个人标识已删除。",
           "Dental caries, periodontal status and oral hygiene behaviour of about 170,000 people aged 3-74 from the fourth national oral health epidemiological survey, 2015-2016. Multistage stratified random sampling with standardised oral examinations; personal identifiers removed."),
        kw=(["口腔健康", "龋齿", "流行病学调查"], ["oral health", "dental caries", "epidemiological survey"]),
        dom="HM", cat="HS", lvl=2, mode="open", pub="nphdc", cre=["pkusph", "cams", "guo-tao"],
        per=("2015-08-01", "2016-12-31"), n=(172000, 172000), age=(3, 74),
        cols="pid sex age_group region dmft score_caries", dist=[("CSV", 20), ("XLSX", 18)],
        hc=["RQSH"], typ="STATISTICAL", freq="NEVER", ver="1.0", std=["ws-t-363"],
        issued="2019-09-20", lic="hdlic:public-welfare-free", deid=(["suppression", "generalization", "k-anonymity"], 10, 0.01),
    ),
    dict(
        id="covid-testing-institutions-bj", kind="published",
        t=("北京市核酸检测服务医疗卫生机构数据集", "Beijing Health Institutions Providing Nucleic Acid Testing"),
        d=("北京市 2020 年提供新冠病毒核酸检测服务的医疗卫生机构名称、所在区、机构等级与服务时间。来自公开发布的机构名单，经地址标准化整理，不涉及个人信息。",
           "Names, districts, grades and service hours of Beijing health institutions providing SARS-CoV-2 nucleic acid testing in 2020. From the published institution lists with standardised addresses; no personal information."),
        kw=(["核酸检测", "医疗机构", "北京"], ["nucleic acid testing", "health institutions", "Beijing"]),
        dom="PH", cat="HR", lvl=1, mode="open", pub="nphdc", cre=["nphdc"],
        per=("2020-06-01", "2020-12-31"), n=(520, None), age=None,
        cols="region hospital_level", dist=[("CSV", 0.05), ("JSON", 0.1)],
        hc=["NRPE"], typ="STATISTICAL", freq="IRREG", ver="1.0",
        issued="2020-06-28", lic="CC0",
        prov=("由北京市卫生健康委员会公开发布的名单整理。", "Compiled from the lists published by the Beijing Municipal Health Commission."),
    ),
]
