/*
 * store_demo: the demo certification body (see store_demo.h). The story is
 * data: one list of steps per enterprise (plus one for the CB's staff),
 * each step dated in months and days before `today`, or relative to the
 * previous step or to the on-site days of the last planned audit. A first
 * pass dates every step, the steps of all stories are merged in date order
 * with the daily clock's runs, and each step then calls one store action
 * (or a short series: e.g. the eleven material uploads) as the person whose
 * role takes it. Reads are plain SELECTs of this module; every write is an
 * action of another store module.
 */
#include "store/store_demo.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/uscc.h"
#include "core/workflow.h"
#include "store/db.h"
#include "store/store.h"

/* ---- the cast ---------------------------------------------------------- */

struct staff {
    const char *login, *name;
    enum sc_workflow_role role;
    int qual; /* 0 none, 1 auditor, 2 lead auditor */
};

static const struct staff STAFF[] = {
    {"chen.jing", "陈静", SC_ROLE_ADMIN, 0},
    {"wang.lei", "王磊", SC_ROLE_MARKET, 0},
    {"liu.yang", "刘洋", SC_ROLE_MARKET, 0},
    {"zhang.min", "张敏", SC_ROLE_REVIEW, 0},
    {"li.na", "李娜", SC_ROLE_REVIEW, 0},
    {"zhao.qiang", "赵强", SC_ROLE_AUDITOR, 2},
    {"sun.li", "孙丽", SC_ROLE_AUDITOR, 2},
    {"zhou.jie", "周杰", SC_ROLE_AUDITOR, 1},
    {"wu.fang", "吴芳", SC_ROLE_AUDITOR, 1},
    {"zheng.guoping", "郑国平", SC_ROLE_COMMITTEE, 0},
    {"feng.jianhua", "冯建华", SC_ROLE_COMMITTEE, 0},
    {"he.wen", "何文", SC_ROLE_COMMITTEE, 0},
};
#define N_STAFF (sizeof STAFF / sizeof STAFF[0])

static const char *const MARKET[] = {"wang.lei", "liu.yang"};
static const char *const REVIEW[] = {"zhang.min", "li.na"};
static const char *const COMMITTEE[] = {"zheng.guoping", "feng.jianhua",
                                        "he.wen"};
/* Audit teams: lead, member. zhou.jie is never sent to 合肥科汇 (his
 * former employer: the impartiality link). */
static const char *const TEAMS[][2] = {
    {"zhao.qiang", "wu.fang"},
    {"sun.li", "zhou.jie"},
    {"zhao.qiang", "zhou.jie"},
};
#define LINKED_AUDITOR "zhou.jie"

struct firm {
    const char *name, *short_name, *region, *address;
    int64_t emp_lo, emp_hi; /* a man-day band */
    int outlets;
    const char *login, *contact; /* enterprise user, NULL: none */
    const char *scope;
};

static const struct firm FIRMS[] = {
    {"青岛海纳电器有限公司", "海纳电器", "370212",
     "山东省青岛市崂山区株洲路188号", 1176, 1550, 9, "haina", "刘海涛",
     "家用电器（冰箱、洗衣机、空调）的配送、安装调试、维修保养、备件供应及投诉处理"},
    {"杭州美程家居用品有限公司", "美程家居", "330110",
     "浙江省杭州市余杭区文一西路998号", 176, 275, 4, "meicheng", "陈晓燕",
     "家居用品的送货安装、退换货、维修及顾客服务"},
    {"深圳市睿达通信设备有限公司", "睿达通信", "440305",
     "广东省深圳市南山区高新南七道21号", 426, 625, 6, "ruida", "黄志明",
     "通信终端设备的技术支持、用户培训、维修及备件供应"},
    {"苏州德尔康医疗器械有限公司", "德尔康", "320594",
     "江苏省苏州市工业园区星湖街328号", 86, 125, 2, "delkang", "沈佳怡",
     "医用设备的安装调试、维修保养、用户培训及投诉处理"},
    {"宁波恒润汽车零部件有限公司", "恒润汽配", "330206",
     "浙江省宁波市北仑区长江路1078号", 276, 425, 3, "hengrun", "周建国",
     "汽车零部件的配送、技术咨询、质量保证及退换货服务"},
    {"成都蜀锦厨具有限公司", "蜀锦厨具", "510107",
     "四川省成都市武侯区武兴路66号", 46, 65, 1, "shujin", "李秀英",
     "厨房电器的送货安装、维修及废旧商品回收"},
    {"武汉江城电梯工程有限公司", "江城电梯", "420112",
     "湖北省武汉市东西湖区金银湖路18号", 626, 875, 7, "jiangcheng", "王志强",
     "电梯的安装调试、维修保养、备件供应及应急救援服务"},
    {"厦门海湾净水科技有限公司", "海湾净水", "350211",
     "福建省厦门市集美区杏林湾路488号", 26, 45, 0, "haiwan", "林美玲",
     "净水设备的安装、滤芯更换及维修服务"},
    {"广州粤丰家电连锁有限公司", "粤丰家电", "440106",
     "广东省广州市天河区天河北路233号", 2026, 2675, 16, "yuefeng", "梁伟雄",
     "家用电器零售的配送安装、维修、以旧换新及投诉处理"},
    {"济南泉城办公设备有限公司", "泉城办公", "370102",
     "山东省济南市历下区经十路11号", 11, 25, 1, "quancheng", "张丽华",
     "办公设备的送货安装、维修保养及耗材供应"},
    {"北京京华信息系统有限公司", "京华信息", "110108",
     "北京市海淀区中关村大街27号", 126, 175, 2, "jinghua", "赵文博",
     "信息系统集成产品的技术支持、运行维护及用户培训"},
    {"上海沪安消防设备有限公司", "沪安消防", "310112",
     "上海市闵行区莘庄工业区春东路508号", 176, 275, 3, "huan", "徐海峰",
     "消防设备的安装调试、维保检测及备件供应"},
    {"合肥科汇仪器仪表有限公司", "科汇仪器", "340104",
     "安徽省合肥市高新区天湖路19号", 26, 45, 0, "kehui", "吴俊",
     "分析仪器的安装调试、计量校准、维修及技术咨询"},
    {"南京金陵新能源科技有限公司", "金陵新能源", "320115",
     "江苏省南京市江宁区诚信大道1号", 1551, 2025, 10, "jinling", "孙立军",
     "光伏储能设备的配送安装、运维、维修及回收"},
    {"长沙湘域农机装备有限公司", "湘域农机", "430111",
     "湖南省长沙市雨花区环保中路188号", 4351, 5450, 5, NULL, NULL,
     "农业机械的配送、调试、维修及配件供应"},
};
#define N_FIRMS (sizeof FIRMS / sizeof FIRMS[0])

/* Places of outlets: city, district, street. */
static const char *const PLACES[][3] = {
    {"北京市", "朝阳区", "建国路"},   {"上海市", "浦东新区", "张杨路"},
    {"广州市", "天河区", "体育西路"}, {"深圳市", "福田区", "深南中路"},
    {"成都市", "锦江区", "东大街"},   {"武汉市", "江汉区", "解放大道"},
    {"西安市", "雁塔区", "小寨东路"}, {"南京市", "鼓楼区", "中山北路"},
    {"杭州市", "拱墅区", "莫干山路"}, {"天津市", "河西区", "友谊路"},
    {"重庆市", "渝中区", "民族路"},   {"长沙市", "芙蓉区", "五一大道"},
    {"郑州市", "金水区", "花园路"},   {"济南市", "历下区", "泉城路"},
    {"沈阳市", "和平区", "南京北街"}, {"合肥市", "蜀山区", "长江西路"},
    {"青岛市", "市南区", "香港中路"}, {"苏州市", "姑苏区", "人民路"},
};
#define N_PLACES (sizeof PLACES / sizeof PLACES[0])

static const char *const MANAGERS[] = {
    "高翔", "马丽", "罗斌", "郭静", "梁超", "宋雪", "韩磊", "唐敏",
    "冯雷", "许婷", "邓伟", "曹颖", "彭涛", "曾琳", "萧然", "田甜"};
#define N_MANAGERS (sizeof MANAGERS / sizeof MANAGERS[0])

static const char *const INDICATORS[] = {
    "5.1.1", "5.1.2", "5.1.3", "5.1.4", "5.1.5", "5.1.6", "5.1.7", "5.2.1",
    "5.2.2", "5.2.3", "5.2.4", "5.2.5", "5.2.6", "5.3.1", "5.3.2"};
#define N_INDICATORS (sizeof INDICATORS / sizeof INDICATORS[0])
#define SAMPLED_INDICATOR "5.2.1" /* 5 points; at most 1.5 lost, never a
                                     level lost */

static const char *const DOC_NAMES[][2] = {
    {"application_form", "认证申请书.pdf"},
    {"business_licence", "营业执照副本.pdf"},
    {"product_description", "产品及服务说明.pdf"},
    {"laws_and_standards", "适用法律法规及标准清单.pdf"},
    {"company_profile", "企业简介.pdf"},
    {"organisation_chart", "组织机构图.png"},
    {"sales_and_service_policy", "销售方式及服务政策.pdf"},
    {"outlet_list", "销售及服务网点清单.pdf"},
    {"delivery_mode", "服务提供方式说明.pdf"},
    {"system_document_list", "服务体系文件清单.pdf"},
    {"service_manual", "售后服务手册.pdf"},
};
#define N_DOCS (sizeof DOC_NAMES / sizeof DOC_NAMES[0])

/* ---- the story --------------------------------------------------------- */

enum op {
    OP_STAFF,      /* the CB: admin, staff, qualifications */
    OP_ORG,        /* registration, outlets, the enterprise user */
    OP_LINK,       /* the impartiality link of LINKED_AUDITOR */
    OP_APP,        /* a = kind */
    OP_DOCS,       /* every required material, two service managers */
    OP_DOCS_SOME,  /* two materials only (a draft) */
    OP_UPLOAD,     /* a = kind: one more version */
    OP_SUBMIT,
    OP_ACCEPT,
    OP_RETURN,     /* a = reason */
    OP_REJECT,     /* a = reason */
    OP_WITHDRAW,   /* a = reason */
    OP_CONTRACT,
    OP_REVISE,     /* a = finding text, b = indicator */
    OP_CORRECT,    /* corrective actions and a revised manual */
    OP_VERIFY,
    OP_APPROVE,
    OP_PLAN,       /* a NULL: the application's audit, "cert": the
                      certificate's; x = days to the first on-site day,
                      y = on-site days */
    OP_CONFIRM,
    OP_START,
    OP_RESULTS,    /* a = nonconforming indicators, comma separated */
    OP_AFINDING,   /* a = text, b = indicator */
    OP_ACORRECT,
    OP_AVERIFY,
    OP_REPORT,
    OP_VOTE,       /* a = "approve" or "refuse" (b = comment) */
    OP_CLOSE,
    OP_RESTORE,
    OP_SUSPEND,    /* a = reason code, b = text */
    OP_CANCEL,     /* a = reason code, b = text */
    OP_TICK,
    OP_END
};

static const char *const OP_NAMES[] = {
    "staff",    "org",      "link",   "application", "documents",
    "documents", "upload",  "submit", "accept",      "return",
    "reject",   "withdraw", "contract", "revise",    "correct",
    "verify",   "approve",  "plan",   "confirm",     "start",
    "results",  "finding",  "correct", "verify",     "report",
    "vote",     "close",    "restore", "suspend",    "cancel",
    "tick",     "end"};

enum when { W_ABS, W_REL, W_FROM, W_TO };

struct step {
    enum op op;
    enum when w;
    int m, d; /* W_ABS: today + m months + d days; W_REL / W_FROM / W_TO:
                 + d days */
    const char *a, *b;
    int x, y;
};

#define ABS(op, m, d) {op, W_ABS, m, d, NULL, NULL, 0, 0}
#define REL(op, d) {op, W_REL, 0, d, NULL, NULL, 0, 0}
#define RELA(op, d, a, b) {op, W_REL, 0, d, a, b, 0, 0}
#define ENDS {OP_END, W_REL, 0, 0, NULL, NULL, 0, 0}

/* Registration a week before the application. */
#define REGISTER(m, d) ABS(OP_ORG, m, (d) - 7)
/* An application from creation to documents_approved (20 days). */
#define APPLY(kind)                                                          \
    RELA(OP_APP, 7, kind, NULL), REL(OP_DOCS, 0), REL(OP_SUBMIT, 2),          \
        REL(OP_ACCEPT, 3), REL(OP_CONTRACT, 7), REL(OP_APPROVE, 8)
/* Plan (4 days later), confirm, start, results; the audit on-site from
 * plan + 14 for `len` days. */
#define AUDIT_RUN(kind, len, nonconform)                                     \
    {OP_PLAN, W_REL, 0, 4, kind, NULL, 14, len}, REL(OP_CONFIRM, 5),          \
        {OP_START, W_FROM, 0, 0, NULL, NULL, 0, 0},                           \
        {OP_RESULTS, W_FROM, 0, 0, nonconform, NULL, 0, 0}
#define REPORT {OP_REPORT, W_TO, 0, 0, NULL, NULL, 0, 0}
#define AUDIT(len, nonconform) AUDIT_RUN(NULL, len, nonconform), REPORT
/* A surveillance (or restore) audit planned on today + m months + d. */
#define CERT_AUDIT(m, d, nonconform)                                         \
    {OP_PLAN, W_ABS, m, d, "cert", NULL, 14, 2}, REL(OP_CONFIRM, 5),          \
        {OP_START, W_FROM, 0, 0, NULL, NULL, 0, 0},                           \
        {OP_RESULTS, W_FROM, 0, 0, nonconform, NULL, 0, 0}, REPORT
#define DECIDE(vote, close)                                                  \
    {OP_VOTE, W_TO, 0, 7, vote, NULL, 0, 0},                                  \
        {close, W_TO, 0, 7, NULL, NULL, 0, 0}
#define DECIDE6(vote, close)                                                 \
    {OP_VOTE, W_TO, 0, 6, vote, NULL, 0, 0},                                  \
        {close, W_TO, 0, 6, NULL, NULL, 0, 0}

#define NONE_RESULTS "5.3.1,5.3.2,5.2.4,5.2.3" /* 62: not certified */
#define THREE_STAR "5.3.2"                     /* 87 */
#define FOUR_STAR "5.1.1"                      /* 94 */
#define COMPLIANT "5.3.1,5.3.2"                /* 75 */
#define FIVE_STAR ""                           /* 100 */

/* 0 青岛海纳: five-star, two surveillances, the second lowers it to
 * four-star (a new revision); active. */
static const struct step S_HAINA[] = {
    REGISTER(-28, 0), APPLY("initial"), AUDIT(3, FIVE_STAR),
    DECIDE("approve", OP_CLOSE), CERT_AUDIT(-19, 0, FIVE_STAR),
    DECIDE6("approve", OP_CLOSE), CERT_AUDIT(-11, 0, FOUR_STAR),
    DECIDE6("approve", OP_CLOSE), ENDS};
/* 1 杭州美程: three-star after one surveillance, active; an upgrade
 * application under document review (contracted, finding corrected). */
static const struct step S_MEICHENG[] = {
    REGISTER(-16, 0), APPLY("initial"), AUDIT(2, THREE_STAR),
    DECIDE("approve", OP_CLOSE), CERT_AUDIT(-7, 0, THREE_STAR),
    DECIDE6("approve", OP_CLOSE), {OP_APP, W_ABS, 0, -25, "upgrade", NULL, 0, 0},
    REL(OP_DOCS, 0), REL(OP_SUBMIT, 2), REL(OP_ACCEPT, 3), REL(OP_CONTRACT, 7),
    RELA(OP_REVISE, 6, "服务手册未规定投诉处理的响应及办结时限", "5.3.2"),
    REL(OP_CORRECT, 3), ENDS};
/* 2 深圳睿达: five-star, an audit finding corrected and verified before
 * the decision; active. */
static const struct step S_RUIDA[] = {
    REGISTER(-7, 0), APPLY("initial"), AUDIT_RUN(NULL, 2, FIVE_STAR),
    {OP_AFINDING, W_FROM, 0, 0, "部分维修记录未记载备件更换情况", "5.2.4", 0,
     0},
    REPORT, {OP_ACORRECT, W_TO, 0, 2, NULL, NULL, 0, 0},
    {OP_AVERIFY, W_TO, 0, 4, NULL, NULL, 0, 0}, DECIDE("approve", OP_CLOSE),
    ENDS};
/* 3 苏州德尔康: compliant, active; an upgrade audit reported, awaiting
 * the committee. */
static const struct step S_DELKANG[] = {
    REGISTER(-6, 0), APPLY("initial"), AUDIT(2, COMPLIANT),
    DECIDE("approve", OP_CLOSE), {OP_APP, W_ABS, -2, 0, "upgrade", NULL, 0, 0},
    REL(OP_DOCS, 0), REL(OP_SUBMIT, 2), REL(OP_ACCEPT, 3), REL(OP_CONTRACT, 7),
    REL(OP_APPROVE, 8), AUDIT(2, THREE_STAR), ENDS};
/* 4 宁波恒润: three-star, no surveillance: suspended by the clock. */
static const struct step S_HENGRUN[] = {
    REGISTER(-17, 0), APPLY("initial"), AUDIT(2, THREE_STAR),
    DECIDE("approve", OP_CLOSE), ENDS};
/* 5 成都蜀锦: compliant, no surveillance: suspended, then withdrawn by the
 * clock; applies again (audit confirmed). */
static const struct step S_SHUJIN[] = {
    REGISTER(-24, 0), APPLY("initial"), AUDIT(2, COMPLIANT),
    DECIDE("approve", OP_CLOSE), {OP_APP, W_ABS, -2, 10, "initial", NULL, 0, 0},
    REL(OP_DOCS, 0), REL(OP_SUBMIT, 2), REL(OP_ACCEPT, 3), REL(OP_CONTRACT, 7),
    REL(OP_APPROVE, 8), {OP_PLAN, W_REL, 0, 4, NULL, NULL, 60, 2},
    REL(OP_CONFIRM, 5), ENDS};
/* 6 武汉江城: four-star, three surveillances, no recertification:
 * expired; a late recertification is in its audit. */
static const struct step S_JIANGCHENG[] = {
    REGISTER(-42, 0), APPLY("initial"), AUDIT(3, FOUR_STAR),
    DECIDE("approve", OP_CLOSE), CERT_AUDIT(-33, 0, FOUR_STAR),
    DECIDE6("approve", OP_CLOSE), CERT_AUDIT(-25, 0, FOUR_STAR),
    DECIDE6("approve", OP_CLOSE), CERT_AUDIT(-13, -24, FOUR_STAR),
    DECIDE6("approve", OP_CLOSE),
    {OP_APP, W_ABS, 0, -50, "recertification", NULL, 0, 0}, REL(OP_DOCS, 0),
    REL(OP_SUBMIT, 2), REL(OP_ACCEPT, 3), REL(OP_CONTRACT, 7),
    REL(OP_APPROVE, 8), AUDIT_RUN(NULL, 3, FOUR_STAR), ENDS};
/* 7 厦门海湾: five-star, one surveillance, cancelled at the holder's
 * request. */
static const struct step S_HAIWAN[] = {
    REGISTER(-22, 0), APPLY("initial"), AUDIT(2, FIVE_STAR),
    DECIDE("approve", OP_CLOSE), CERT_AUDIT(-13, 0, FIVE_STAR),
    DECIDE6("approve", OP_CLOSE),
    {OP_CANCEL, W_ABS, -7, 0, "service_stopped",
     "企业停止净水设备售后服务业务，申请注销证书", 0, 0},
    ENDS};
/* 8 广州粤丰: three-star, two surveillances, suspended by the committee
 * for complaints, restored after an audit, a third surveillance, then
 * recertified before expiry at five-star (continuity, a new revision). */
static const struct step S_YUEFENG[] = {
    REGISTER(-37, -5), APPLY("initial"), AUDIT(2, THREE_STAR),
    DECIDE("approve", OP_CLOSE), CERT_AUDIT(-28, 27, THREE_STAR),
    DECIDE6("approve", OP_CLOSE), CERT_AUDIT(-19, 27, THREE_STAR),
    DECIDE6("approve", OP_CLOSE),
    {OP_SUSPEND, W_ABS, -17, 41, "serious_nonconformity",
     "多起用户投诉未按服务承诺时限处理，经核实属实", 0, 0},
    CERT_AUDIT(-16, 27, THREE_STAR), DECIDE6("approve", OP_RESTORE),
    CERT_AUDIT(-8, 27, THREE_STAR), DECIDE6("approve", OP_CLOSE),
    {OP_APP, W_ABS, -4, 47, "recertification", NULL, 0, 0}, REL(OP_DOCS, 0),
    REL(OP_SUBMIT, 2), REL(OP_ACCEPT, 3), REL(OP_CONTRACT, 7),
    REL(OP_APPROVE, 8), AUDIT(2, FIVE_STAR), DECIDE("approve", OP_CLOSE),
    ENDS};
/* 9 济南泉城: an application withdrawn after the contract; a new draft. */
static const struct step S_QUANCHENG[] = {
    REGISTER(-10, 0), RELA(OP_APP, 7, "initial", NULL), REL(OP_DOCS, 0),
    REL(OP_SUBMIT, 2), REL(OP_ACCEPT, 3), REL(OP_CONTRACT, 7),
    RELA(OP_WITHDRAW, 18, "企业内部组织架构调整，决定推迟认证计划", NULL),
    {OP_APP, W_ABS, 0, -5, "initial", NULL, 0, 0}, REL(OP_DOCS_SOME, 0), ENDS};
/* 10 北京京华: rejected (eligibility); a new application returned once,
 * completed and submitted again. */
static const struct step S_JINGHUA[] = {
    REGISTER(-11, 0), RELA(OP_APP, 7, "initial", NULL), REL(OP_DOCS, 0),
    REL(OP_SUBMIT, 2),
    RELA(OP_REJECT, 4, "营业执照经营范围不包含所申请认证的售后服务项目", NULL),
    {OP_APP, W_ABS, 0, -12, "initial", NULL, 0, 0}, REL(OP_DOCS, 0),
    REL(OP_SUBMIT, 2),
    RELA(OP_RETURN, 2, "服务网点清单缺少各网点的详细地址，请补充后重新提交",
         NULL),
    RELA(OP_UPLOAD, 5, "outlet_list", NULL), REL(OP_SUBMIT, 1), ENDS};
/* 11 上海沪安: refused by the committee (score below 70); applies again
 * (accepted). */
static const struct step S_HUAN[] = {
    REGISTER(-10, 0), APPLY("initial"), AUDIT(2, NONE_RESULTS),
    DECIDE("refuse", OP_CLOSE), {OP_APP, W_ABS, 0, -20, "initial", NULL, 0, 0},
    REL(OP_DOCS, 0), REL(OP_SUBMIT, 2), REL(OP_ACCEPT, 3), ENDS};
/* 12 合肥科汇: documents approved after a revision; zhou.jie worked there
 * until ten months ago, so he may not audit it (try it). */
static const struct step S_KEHUI[] = {
    {OP_ORG, W_ABS, 0, -47, NULL, NULL, 0, 0}, REL(OP_LINK, 1),
    RELA(OP_APP, 6, "initial", NULL), REL(OP_DOCS, 0), REL(OP_SUBMIT, 2),
    REL(OP_ACCEPT, 3), REL(OP_CONTRACT, 7),
    RELA(OP_REVISE, 4, "服务手册未覆盖计量校准服务的流程", "5.2.2"),
    REL(OP_CORRECT, 2), REL(OP_VERIFY, 2), REL(OP_APPROVE, 1), ENDS};
/* 13 南京金陵: audit planned. */
static const struct step S_JINLING[] = {
    REGISTER(-1, -5), APPLY("initial"),
    {OP_PLAN, W_REL, 0, 4, NULL, NULL, 30, 3}, ENDS};
/* 14 长沙湘域: registered by the market department, nothing else yet. */
static const struct step S_XIANGYU[] = {ABS(OP_ORG, 0, -15), ENDS};
/* The CB itself. */
static const struct step S_CB[] = {ABS(OP_STAFF, -50, 0), ENDS};

struct story {
    int firm; /* index in FIRMS, -1 for the CB */
    int team; /* index in TEAMS */
    const struct step *steps;
};

static const struct story STORIES[] = {
    {-1, 0, S_CB},          {0, 0, S_HAINA},    {1, 1, S_MEICHENG},
    {2, 0, S_RUIDA},        {3, 1, S_DELKANG},  {4, 2, S_HENGRUN},
    {5, 0, S_SHUJIN},       {6, 1, S_JIANGCHENG}, {7, 2, S_HAIWAN},
    {8, 0, S_YUEFENG},      {9, 0, S_QUANCHENG}, {10, 0, S_JINGHUA},
    {11, 1, S_HUAN},        {12, 0, S_KEHUI},   {13, 2, S_JINLING},
    {14, 0, S_XIANGYU},
};
#define N_STORIES (sizeof STORIES / sizeof STORIES[0])
#define TICK_EVERY 7 /* days between two runs of the daily clock */
#define DEMO_YEAR_MIN 1980
#define DEMO_YEAR_MAX 9000

/* ---- the run ----------------------------------------------------------- */

struct firm_rt {
    int64_t org, app, audit;
    int64_t employees;
    char uscc[SC_USCC_LEN + 1];
    char cert[SC_CERTNO_MAX];
    sc_day from, to; /* on-site days of the last planned audit */
};

struct item {
    sc_day day;
    int story; /* N_STORIES for the clock */
    int idx;
};

struct demo {
    struct sc_store *st;
    sc_day today;
    uint64_t rng;
    struct sc_clock clk;
    sc_day clk_day;
    int clk_seq;
    struct firm_rt rt[N_FIRMS];
    const struct story *story;
    const struct step *step;
};

static uint64_t next_rand(struct demo *d)
{
    /* xorshift64* */
    d->rng ^= d->rng >> 12;
    d->rng ^= d->rng << 25;
    d->rng ^= d->rng >> 27;
    return d->rng * 2685821657736338717ULL;
}

static int rand_below(struct demo *d, int n)
{
    return (int)(next_rand(d) % (uint64_t)n);
}

/* The clock of an action on `day`: instants 09:00 Beijing time onwards, one
 * second apart, so events keep their order and the run is reproducible. */
static void set_clock(struct demo *d, sc_day day)
{
    char date[SC_DATE_BUF];
    if (day != d->clk_day) {
        d->clk_day = day;
        d->clk_seq = 0;
    }
    int s = d->clk_seq < 14 * 3600 ? d->clk_seq++ : d->clk_seq;
    sc_date_format(day, date);
    d->clk.today = day;
    snprintf(d->clk.now, sizeof d->clk.now, "%.10sT%02d:%02d:%02dZ", date,
             1 + s / 3600, (s / 60) % 60, s % 60);
}

static enum sc_err actor(struct demo *d, const char *login,
                         struct sc_actor *out, struct sc_error *err)
{
    return sc_store_actor_get(d->st, login, out, err);
}

static const struct firm *cur_firm(const struct demo *d)
{
    return &FIRMS[d->story->firm];
}

static struct firm_rt *cur_rt(struct demo *d)
{
    return &d->rt[d->story->firm];
}

static int story_no(const struct demo *d)
{
    return (int)(d->story - STORIES);
}

static const char *market_login(const struct demo *d)
{
    return MARKET[story_no(d) % 2];
}

static const char *review_login(const struct demo *d)
{
    return REVIEW[story_no(d) % 2];
}

static enum sc_err enterprise(struct demo *d, struct sc_actor *a,
                              struct sc_error *err)
{
    return actor(d, cur_firm(d)->login, a, err);
}

/* ---- reads ------------------------------------------------------------- */

static const char SQL_COUNT_ORGS_USERS[] =
    "SELECT (SELECT COUNT(*) FROM organisations) + (SELECT COUNT(*) FROM "
    "users)";
static const char SQL_OPEN_APP_FINDINGS[] =
    "SELECT id FROM findings WHERE application_id = ?1 AND source = "
    "'document_review' AND state = ?2 ORDER BY id";
static const char SQL_OPEN_AUDIT_FINDINGS[] =
    "SELECT id FROM findings WHERE audit_id = ?1 AND state = ?2 ORDER BY id";
static const char SQL_NEWEST_CERT[] =
    "SELECT number FROM certificates WHERE organisation_id = ?1 ORDER BY id "
    "DESC LIMIT 1";

#define IDS_MAX 16

static enum sc_err read_ids(struct sc_store *st, const char *sql, int64_t key,
                            const char *state, int64_t ids[IDS_MAX], int *n,
                            struct sc_error *err)
{
    struct sc_stmt *q = NULL;
    bool row = false;
    enum sc_err rc = sc_db_prepare(sc_store_db(st), sql, &q, err);
    *n = 0;
    if (rc != SC_OK)
        return rc;
    sc_db_bind_int(q, 1, key);
    sc_db_bind_text(q, 2, state);
    while ((rc = sc_db_step(q, &row, err)) == SC_OK && row && *n < IDS_MAX)
        ids[(*n)++] = sc_db_col_int(q, 0);
    sc_db_done(q);
    return rc;
}

enum sc_err sc_store_demo_is_empty(struct sc_store *st, bool *empty,
                                   struct sc_error *err)
{
    struct sc_stmt *q = NULL;
    bool row = false;
    enum sc_err rc =
        sc_db_prepare(sc_store_db(st), SQL_COUNT_ORGS_USERS, &q, err);
    if (rc != SC_OK)
        return rc;
    rc = sc_db_step(q, &row, err);
    *empty = rc == SC_OK && row && sc_db_col_int(q, 0) == 0;
    sc_db_done(q);
    return rc;
}

/* ---- the steps --------------------------------------------------------- */

static enum sc_err do_staff(struct demo *d, struct sc_error *err)
{
    struct sc_actor admin;
    enum sc_err rc = SC_OK;
    sc_day from = sc_date_add_months(d->today, -60);
    sc_day to = sc_date_add_months(d->today, 24) - 1;
    int y, mo, dd;
    sc_date_to_ymd(from, &y, &mo, &dd);
    for (size_t i = 0; rc == SC_OK && i < N_STAFF; i++) {
        struct sc_party_user_input in = {STAFF[i].login, STAFF[i].name,
                                         STAFF[i].role, 0};
        rc = sc_store_user_create(d->st, &d->clk, i == 0 ? NULL : &admin, &in,
                                  NULL, NULL, err);
        if (rc == SC_OK && i == 0)
            rc = actor(d, STAFF[0].login, &admin, err);
    }
    for (size_t i = 0; rc == SC_OK && i < N_STAFF; i++) {
        if (!STAFF[i].qual)
            continue;
        int64_t uid = 0;
        char number[SC_PARTY_NUMBER_MAX];
        snprintf(number, sizeof number, "CCAA-SV-%d-%04d", y,
                 1000 + rand_below(d, 9000));
        rc = sc_store_user_resolve(d->st, STAFF[i].login, "user", &uid, err);
        if (rc == SC_OK)
            rc = sc_store_qualification_add(
                d->st, &d->clk, &admin, uid,
                STAFF[i].qual == 2 ? SC_QUAL_LEAD_AUDITOR : SC_QUAL_AUDITOR,
                number, from, to, NULL, NULL, err);
    }
    return rc;
}

static void make_uscc(struct demo *d, const struct firm *f, char out[19])
{
    static const char alphabet[] = SC_USCC_ALPHABET;
    /* 9 = registered by the market regulator, 1 = a company */
    out[0] = '9';
    out[1] = '1';
    memcpy(out + 2, f->region, 6);
    /* the organisation-code part: three digits, then any code character */
    for (int i = 8; i < 17; i++)
        out[i] = i < 16 ? alphabet[rand_below(d, 10 + (i > 10 ? 21 : 0))]
                        : alphabet[rand_below(d, 31)];
    out[17] = sc_uscc_check_char(out);
    out[18] = '\0';
}

static enum sc_err do_org(struct demo *d, struct sc_error *err)
{
    const struct firm *f = cur_firm(d);
    struct firm_rt *rt = cur_rt(d);
    struct sc_actor market, admin;
    make_uscc(d, f, rt->uscc);
    rt->employees =
        f->emp_lo + rand_below(d, (int)(f->emp_hi - f->emp_lo + 1));
    struct sc_party_org_input in = {rt->uscc, f->name, NULL, f->address,
                                    rt->employees};
    enum sc_err rc = actor(d, market_login(d), &market, err);
    if (rc == SC_OK)
        rc = sc_store_org_create(d->st, &d->clk, &market, &in, &rt->org, NULL,
                                 err);
    int first = rand_below(d, (int)N_PLACES);
    for (int i = 0; rc == SC_OK && i < f->outlets; i++) {
        const char *const *p = PLACES[(size_t)(first + i) % N_PLACES];
        char name[SC_PARTY_NAME_MAX], address[SC_PARTY_ADDRESS_MAX];
        snprintf(name, sizeof name, "%s%s%s服务中心", f->short_name, p[0], p[1]);
        snprintf(address, sizeof address, "%s%s%s%d号", p[0], p[1], p[2],
                 8 + rand_below(d, 390));
        rc = sc_store_outlet_add(d->st, &d->clk, &market, rt->org, name,
                                 address, NULL, NULL, err);
    }
    if (rc == SC_OK && f->login) {
        struct sc_party_user_input u = {f->login, f->contact,
                                        SC_ROLE_ENTERPRISE, rt->org};
        rc = actor(d, STAFF[0].login, &admin, err);
        if (rc == SC_OK)
            rc = sc_store_user_create(d->st, &d->clk, &admin, &u, NULL, NULL,
                                      err);
    }
    return rc;
}

static enum sc_err do_link(struct demo *d, struct sc_error *err)
{
    struct sc_actor a;
    int64_t uid = 0;
    enum sc_err rc = actor(d, LINKED_AUDITOR, &a, err);
    if (rc == SC_OK)
        rc = sc_store_user_resolve(d->st, LINKED_AUDITOR, "user", &uid, err);
    if (rc == SC_OK)
        rc = sc_store_link_add(d->st, &d->clk, &a, uid, cur_rt(d)->org,
                               SC_LINK_EMPLOYED,
                               sc_date_add_months(d->today, -62),
                               sc_date_add_months(d->today, -10), false, NULL,
                               NULL, err);
    return rc;
}

static enum sc_err do_app(struct demo *d, struct sc_error *err)
{
    struct sc_actor a;
    struct firm_rt *rt = cur_rt(d);
    const struct firm *f = cur_firm(d);
    bool initial = strcmp(d->step->a, "initial") == 0;
    struct sc_application_input in = {
        0,       d->step->a, initial ? NULL : rt->cert, f->scope,
        rand_below(d, 4) == 0 ? "mixed" : "direct",
        NULL,    NULL};
    enum sc_err rc = enterprise(d, &a, err);
    if (rc == SC_OK)
        rc = sc_store_application_create(d->st, &d->clk, &a, &in, &rt->app,
                                         err);
    return rc;
}

/* A small valid PDF naming the document and the firm. */
static size_t make_pdf(char *buf, size_t cap, const char *title,
                       const char *firm, int version)
{
    int n = snprintf(buf, cap,
                     "%%PDF-1.4\n"
                     "%% %s - %s (v%d)\n"
                     "1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
                     "2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n"
                     "3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 "
                     "842] >> endobj\n"
                     "trailer << /Root 1 0 R >>\n"
                     "%%%%EOF\n",
                     firm, title, version);
    return n < 0 ? 0 : (size_t)n < cap ? (size_t)n : cap - 1;
}

/* A 1x1 greyscale PNG (an organisation chart of one pixel), with its
 * CRCs and zlib stream. */
static const unsigned char PNG_1x1[] = {
    0x89, 'P',  'N',  'G',  0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D,
    'I',  'H',  'D',  'R',  0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01,
    0x08, 0x00, 0x00, 0x00, 0x00, 0x3A, 0x7E, 0x9B, 0x55, 0x00, 0x00, 0x00,
    0x0A, 'I',  'D',  'A',  'T',  0x78, 0x9C, 0x63, 0xF8, 0x0F, 0x00, 0x01,
    0x01, 0x01, 0x00, 0xB1, 0x38, 0xF6, 0x14, 0x00, 0x00, 0x00, 0x00, 'I',
    'E',  'N',  'D',  0xAE, 0x42, 0x60, 0x82};

static enum sc_err upload(struct demo *d, const struct sc_actor *a,
                          size_t k, int version, struct sc_error *err)
{
    char buf[1024];
    const char *kind = DOC_NAMES[k][0], *name = DOC_NAMES[k][1];
    if (strcmp(kind, "organisation_chart") == 0)
        return sc_store_document_upload(d->st, &d->clk, a, cur_rt(d)->app, kind,
                                        name, PNG_1x1, sizeof PNG_1x1, NULL,
                                        err);
    size_t len = make_pdf(buf, sizeof buf, name, cur_firm(d)->name, version);
    return sc_store_document_upload(d->st, &d->clk, a, cur_rt(d)->app, kind,
                                    name, buf, len, NULL, err);
}

static size_t doc_index(const char *kind)
{
    for (size_t k = 0; k < N_DOCS; k++)
        if (strcmp(DOC_NAMES[k][0], kind) == 0)
            return k;
    return 0;
}

static enum sc_err do_docs(struct demo *d, bool all, struct sc_error *err)
{
    struct sc_actor a;
    enum sc_err rc = enterprise(d, &a, err);
    for (size_t k = 0; rc == SC_OK && k < (all ? N_DOCS : 2); k++)
        rc = upload(d, &a, k, 1, err);
    for (int i = 0; all && rc == SC_OK && i < 2; i++) {
        char no[SC_APPLICATION_NUMBER_MAX];
        int y, m, dd;
        sc_date_to_ymd(d->clk.today, &y, &m, &dd);
        snprintf(no, sizeof no, "SHFWGLS-%d-%05d", y - 1 - i,
                 10000 + rand_below(d, 90000));
        rc = sc_store_application_manager_add(
            d->st, &d->clk, &a, cur_rt(d)->app,
            MANAGERS[(size_t)rand_below(d, (int)N_MANAGERS)], no, NULL, err);
    }
    return rc;
}

static enum sc_err do_step_app(struct demo *d, enum sc_workflow_app_action act,
                               const char *login, struct sc_error *err)
{
    struct sc_actor a;
    enum sc_err rc = login ? actor(d, login, &a, err) : enterprise(d, &a, err);
    if (rc == SC_OK)
        rc = sc_store_application_step(d->st, &d->clk, &a, cur_rt(d)->app, act,
                                       d->step->a, err);
    return rc;
}

static enum sc_err do_contract(struct demo *d, struct sc_error *err)
{
    struct sc_actor a;
    char number[SC_APPLICATION_NUMBER_MAX], prelim[SC_DATE_BUF];
    int y, m, dd;
    sc_date_to_ymd(d->clk.today, &y, &m, &dd);
    snprintf(number, sizeof number, "SC-HT-%d-%04lld", y,
             (long long)cur_rt(d)->app);
    sc_date_format(d->clk.today + 30, prelim);
    /* 30 000 yuan plus 40 yuan an employee, rounded to 100 yuan */
    int64_t fee = (30000 + cur_rt(d)->employees * 40) / 100 * 100 * 100;
    struct sc_contract_input in = {number, true, fee, prelim};
    enum sc_err rc = actor(d, market_login(d), &a, err);
    if (rc == SC_OK)
        rc = sc_store_contract_sign(d->st, &d->clk, &a, cur_rt(d)->app, &in,
                                    NULL, err);
    return rc;
}

static enum sc_err do_revise(struct demo *d, struct sc_error *err)
{
    struct sc_actor a;
    struct sc_finding_input f = {d->step->a, "minor", d->step->b};
    enum sc_err rc = actor(d, review_login(d), &a, err);
    if (rc == SC_OK)
        rc = sc_store_review_revise(d->st, &d->clk, &a, cur_rt(d)->app, &f, 1,
                                    "请按评审意见修订服务手册后重新上传", NULL,
                                    err);
    return rc;
}

static enum sc_err do_correct(struct demo *d, bool audit,
                              struct sc_error *err)
{
    struct sc_actor a;
    int64_t ids[IDS_MAX];
    int n = 0;
    enum sc_err rc = enterprise(d, &a, err);
    if (rc == SC_OK && !audit)
        rc = upload(d, &a, doc_index("service_manual"), 2, err);
    if (rc == SC_OK)
        rc = audit ? read_ids(d->st, SQL_OPEN_AUDIT_FINDINGS, cur_rt(d)->audit,
                              "open", ids, &n, err)
                   : read_ids(d->st, SQL_OPEN_APP_FINDINGS, cur_rt(d)->app,
                              "open", ids, &n, err);
    for (int i = 0; rc == SC_OK && i < n; i++)
        rc = sc_store_finding_correct(
            d->st, &d->clk, &a, ids[i],
            audit ? "已补全维修记录模板并对维修人员进行培训，抽查近三个月记录"
                  : "已修订服务手册相关章节并重新发布",
            err);
    return rc;
}

static enum sc_err do_verify(struct demo *d, bool audit, struct sc_error *err)
{
    struct sc_actor a;
    int64_t ids[IDS_MAX];
    int n = 0;
    enum sc_err rc = actor(
        d, audit ? TEAMS[d->story->team][1] : review_login(d), &a, err);
    if (rc == SC_OK)
        rc = audit ? read_ids(d->st, SQL_OPEN_AUDIT_FINDINGS, cur_rt(d)->audit,
                              "corrected", ids, &n, err)
                   : read_ids(d->st, SQL_OPEN_APP_FINDINGS, cur_rt(d)->app,
                              "corrected", ids, &n, err);
    for (int i = 0; rc == SC_OK && i < n; i++)
        rc = sc_store_finding_verify(d->st, &d->clk, &a, ids[i], true,
                                     "纠正措施有效", err);
    return rc;
}

static enum sc_err do_approve(struct demo *d, struct sc_error *err)
{
    struct sc_actor a;
    enum sc_err rc = actor(d, review_login(d), &a, err);
    if (rc == SC_OK)
        rc = sc_store_review_approve(d->st, &d->clk, &a, cur_rt(d)->app,
                                     "服务体系文件符合要求", NULL, err);
    return rc;
}

static enum sc_err do_plan(struct demo *d, struct sc_error *err)
{
    struct sc_actor a;
    struct firm_rt *rt = cur_rt(d);
    const char *const *team = TEAMS[d->story->team];
    struct sc_audit_member_input members[2] = {{team[0], true},
                                               {team[1], false}};
    bool cert = d->step->a != NULL;
    struct sc_audit_plan_input in = {cert ? 0 : rt->app,
                                     cert ? rt->cert : NULL,
                                     NULL,
                                     rt->from,
                                     rt->to,
                                     members,
                                     2,
                                     -1,
                                     0,
                                     NULL};
    enum sc_err rc = actor(d, review_login(d), &a, err);
    if (rc == SC_OK)
        rc = sc_store_audit_plan(d->st, &d->clk, &a, &in, &rt->audit, err);
    return rc;
}

static enum sc_err do_confirm(struct demo *d, struct sc_error *err)
{
    struct sc_actor a;
    struct firm_rt *rt = cur_rt(d);
    struct sc_audit_arrangements in = {
        "售后服务部经理及质量负责人全程陪同", "公司安排车辆接送",
        "行政楼三楼会议室", true, rt->from, rt->to};
    enum sc_err rc = enterprise(d, &a, err);
    if (rc == SC_OK)
        rc = sc_store_audit_confirm(d->st, &d->clk, &a, rt->audit, &in, err);
    return rc;
}

static enum sc_err do_lead(struct demo *d, enum op op, struct sc_error *err)
{
    struct sc_actor a;
    enum sc_err rc = actor(d, TEAMS[d->story->team][0], &a, err);
    if (rc == SC_OK)
        rc = op == OP_START
                 ? sc_store_audit_start(d->st, &d->clk, &a, cur_rt(d)->audit,
                                        err)
                 : sc_store_audit_report(d->st, &d->clk, &a, cur_rt(d)->audit,
                                         err);
    return rc;
}

static bool listed(const char *list, const char *code)
{
    size_t n = strlen(code);
    for (const char *p = list; p && *p;) {
        const char *e = strchr(p, ',');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        if (len == n && strncmp(p, code, n) == 0)
            return true;
        p = e ? e + 1 : p + len;
    }
    return false;
}

static enum sc_err do_results(struct demo *d, struct sc_error *err)
{
    struct sc_actor a;
    enum sc_err rc = actor(d, TEAMS[d->story->team][1], &a, err);
    long long k = rand_below(d, 4);
    for (size_t i = 0; rc == SC_OK && i < N_INDICATORS; i++) {
        struct sc_audit_result_input in = {INDICATORS[i], "conform", false,
                                           0, 0, NULL};
        if (listed(d->step->a, INDICATORS[i])) {
            in.result = "nonconform";
        } else if (strcmp(INDICATORS[i], SAMPLED_INDICATOR) == 0) {
            in.result = "sampled";
            in.has_samples = true;
            in.samples = 10;
            in.nonconforming = k;
        }
        rc = sc_store_audit_result(d->st, &d->clk, &a, cur_rt(d)->audit, &in,
                                   err);
    }
    return rc;
}

static enum sc_err do_afinding(struct demo *d, struct sc_error *err)
{
    struct sc_actor a;
    enum sc_err rc = actor(d, TEAMS[d->story->team][1], &a, err);
    if (rc == SC_OK)
        rc = sc_store_audit_finding(d->st, &d->clk, &a, cur_rt(d)->audit,
                                    "minor", d->step->b, d->step->a, NULL, err);
    return rc;
}

static enum sc_err do_vote(struct demo *d, struct sc_error *err)
{
    bool approve = strcmp(d->step->a, "approve") == 0;
    enum sc_err rc = SC_OK;
    for (int i = 0; rc == SC_OK && i < 2; i++) {
        struct sc_actor a;
        rc = actor(d, COMMITTEE[(story_no(d) + i) % 3], &a, err);
        if (rc == SC_OK)
            rc = sc_store_decision_vote(
                d->st, &d->clk, &a, cur_rt(d)->audit, approve, NULL,
                approve ? NULL
                        : "综合得分低于达标级要求，顾客服务及维修环节存在系统性"
                          "不符合",
                err);
    }
    return rc;
}

static enum sc_err do_close(struct demo *d, bool restore, struct sc_error *err)
{
    struct sc_actor a;
    struct firm_rt *rt = cur_rt(d);
    enum sc_err rc = actor(d, COMMITTEE[(story_no(d) + 2) % 3], &a, err);
    if (rc == SC_OK)
        rc = restore ? sc_store_decision_restore(d->st, &d->clk, &a, rt->cert,
                                                 rt->audit, NULL, err)
                     : sc_store_decision_close(d->st, &d->clk, &a, rt->audit,
                                               SC_DECISION_ANY, NULL, err);
    if (rc == SC_OK && !rt->cert[0]) {
        struct sc_stmt *q = NULL;
        bool row = false;
        rc = sc_db_prepare(sc_store_db(d->st), SQL_NEWEST_CERT, &q, err);
        if (rc != SC_OK)
            return rc;
        sc_db_bind_int(q, 1, rt->org);
        rc = sc_db_step(q, &row, err);
        if (rc == SC_OK && row)
            snprintf(rt->cert, sizeof rt->cert, "%s", sc_db_col_text(q, 0));
        sc_db_done(q);
    }
    return rc;
}

static enum sc_err do_cert_action(struct demo *d, bool suspend,
                                  struct sc_error *err)
{
    struct sc_actor a;
    enum sc_err rc = actor(
        d, suspend ? COMMITTEE[story_no(d) % 3] : market_login(d), &a, err);
    if (rc == SC_OK)
        rc = suspend ? sc_store_certificate_suspend(d->st, &d->clk, &a,
                                                    cur_rt(d)->cert, d->step->a,
                                                    d->step->b, err)
                     : sc_store_certificate_cancel(d->st, &d->clk, &a,
                                                   cur_rt(d)->cert, d->step->a,
                                                   d->step->b, err);
    return rc;
}

static enum sc_err run_step(struct demo *d, struct sc_error *err)
{
    switch (d->step->op) {
    case OP_STAFF: return do_staff(d, err);
    case OP_ORG: return do_org(d, err);
    case OP_LINK: return do_link(d, err);
    case OP_APP: return do_app(d, err);
    case OP_DOCS: return do_docs(d, true, err);
    case OP_DOCS_SOME: return do_docs(d, false, err);
    case OP_UPLOAD: {
        struct sc_actor a;
        enum sc_err rc = enterprise(d, &a, err);
        return rc == SC_OK ? upload(d, &a, doc_index(d->step->a), 2, err) : rc;
    }
    case OP_SUBMIT: return do_step_app(d, SC_APP_ACTION_SUBMIT, NULL, err);
    case OP_ACCEPT:
        return do_step_app(d, SC_APP_ACTION_ACCEPT, market_login(d), err);
    case OP_RETURN:
        return do_step_app(d, SC_APP_ACTION_RETURN, market_login(d), err);
    case OP_REJECT:
        return do_step_app(d, SC_APP_ACTION_REJECT, market_login(d), err);
    case OP_WITHDRAW: return do_step_app(d, SC_APP_ACTION_WITHDRAW, NULL, err);
    case OP_CONTRACT: return do_contract(d, err);
    case OP_REVISE: return do_revise(d, err);
    case OP_CORRECT: return do_correct(d, false, err);
    case OP_VERIFY: return do_verify(d, false, err);
    case OP_APPROVE: return do_approve(d, err);
    case OP_PLAN: return do_plan(d, err);
    case OP_CONFIRM: return do_confirm(d, err);
    case OP_START:
    case OP_REPORT: return do_lead(d, d->step->op, err);
    case OP_RESULTS: return do_results(d, err);
    case OP_AFINDING: return do_afinding(d, err);
    case OP_ACORRECT: return do_correct(d, true, err);
    case OP_AVERIFY: return do_verify(d, true, err);
    case OP_VOTE: return do_vote(d, err);
    case OP_CLOSE: return do_close(d, false, err);
    case OP_RESTORE: return do_close(d, true, err);
    case OP_SUSPEND: return do_cert_action(d, true, err);
    case OP_CANCEL: return do_cert_action(d, false, err);
    case OP_TICK:
    case OP_END: break;
    }
    return SC_OK;
}

/* ---- dating and ordering ----------------------------------------------- */

/* Dates every step of every story; *items (heap) holds them and the
 * clock's runs. Steps of one story never go back in time nor past today. */
static enum sc_err schedule(struct demo *d, struct item **items, size_t *n,
                            struct sc_error *err)
{
    size_t cap = 0, steps = 0;
    sc_day first = d->today;
    for (size_t s = 0; s < N_STORIES; s++)
        for (const struct step *p = STORIES[s].steps; p->op != OP_END; p++)
            steps++;
    cap = steps + 2 + 64 * 31 / TICK_EVERY; /* ticks over 64 months */
    *items = calloc(cap, sizeof **items);
    if (!*items)
        return sc_error_set(err, SC_ERR_NOMEM, NULL, NULL);
    *n = 0;
    for (size_t s = 0; s < N_STORIES; s++) {
        sc_day prev = SC_DAY_MIN, from = 0, to = 0;
        int i = 0;
        for (const struct step *p = STORIES[s].steps; p->op != OP_END;
             p++, i++) {
            sc_day day = p->w == W_ABS    ? sc_date_add_months(d->today, p->m) +
                                             p->d
                         : p->w == W_REL  ? prev + p->d
                         : p->w == W_FROM ? from + p->d
                                          : to + p->d;
            if (p->op == OP_PLAN) {
                from = day + p->x;
                to = from + p->y - 1;
            }
            if (day < prev || day > d->today)
                return sc_error_set(err, SC_ERR_INTERNAL, "today",
                                    "demo story %zu step %d out of order", s,
                                    i);
            prev = day;
            if (day < first)
                first = day;
            (*items)[(*n)++] = (struct item){day, (int)s, i};
        }
    }
    for (sc_day t = first + TICK_EVERY; t < d->today && *n < cap - 1;
         t += TICK_EVERY)
        (*items)[(*n)++] = (struct item){t, (int)N_STORIES, 0};
    (*items)[(*n)++] = (struct item){d->today, (int)N_STORIES, 0};
    return SC_OK;
}

static int cmp_item(const void *pa, const void *pb)
{
    const struct item *a = pa, *b = pb;
    if (a->day != b->day)
        return a->day < b->day ? -1 : 1;
    if (a->story != b->story)
        return a->story < b->story ? -1 : 1;
    return (a->idx > b->idx) - (a->idx < b->idx);
}

/* The on-site days a step's audit will have (known when dating). */
static void audit_days(struct demo *d, const struct item *it)
{
    const struct step *p = &STORIES[it->story].steps[it->idx];
    if (p->op == OP_PLAN && STORIES[it->story].firm >= 0) {
        struct firm_rt *rt = &d->rt[STORIES[it->story].firm];
        rt->from = it->day + p->x;
        rt->to = rt->from + p->y - 1;
    }
}

static enum sc_err tick(struct demo *d, sc_day day, struct sc_error *err)
{
    struct sc_tick_counts counts;
    set_clock(d, day);
    return sc_store_tick(d->st, &d->clk, 0, NULL, NULL, &counts, err);
}

static void explain(const struct item *it, struct sc_error *err)
{
    char date[SC_DATE_BUF], msg[SC_ERROR_MESSAGE_MAX];
    const struct story *s = &STORIES[it->story];
    sc_date_format(it->day, date);
    snprintf(msg, sizeof msg, "demo step %s/%d (%s) on %s: %.200s",
             s->firm >= 0 ? FIRMS[s->firm].short_name : "CB", it->idx,
             OP_NAMES[s->steps[it->idx].op], date, err->message);
    char field[SC_ERROR_FIELD_MAX];
    snprintf(field, sizeof field, "%s", err->field);
    sc_error_set(err, err->code, field[0] ? field : NULL, "%s", msg);
}

enum sc_err sc_store_demo_run(struct sc_store *st, sc_day today,
                              uint64_t seed, json_t **counts,
                              struct sc_error *err)
{
    struct demo *d = calloc(1, sizeof *d);
    struct item *items = NULL;
    size_t n = 0;
    bool empty = false;
    enum sc_err rc;

    if (!d)
        return sc_error_set(err, SC_ERR_NOMEM, NULL, NULL);
    d->st = st;
    d->today = today;
    d->clk_day = SC_DAY_MIN;
    /* splitmix64 of the seed: any seed, 0 included, gives a good state */
    uint64_t z = seed + 0x9E3779B97F4A7C15ULL;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    d->rng = (z ^ (z >> 31)) | 1u;

    /* the story reaches 64 months back and certificates expire up to
     * 36 months ahead: keep every date well inside the calendar */
    if (today < sc_date_from_ymd(DEMO_YEAR_MIN, 1, 1) ||
        today > sc_date_from_ymd(DEMO_YEAR_MAX, 12, 31))
        rc = sc_error_set(err, SC_ERR_INVALID, "today",
                          "the demo needs a day in the years %d to %d",
                          DEMO_YEAR_MIN, DEMO_YEAR_MAX);
    else
        rc = sc_store_demo_is_empty(st, &empty, err);
    if (rc == SC_OK && !empty)
        rc = sc_error_set(err, SC_ERR_CONFLICT, "db",
                          "the database already holds organisations or "
                          "users: a demo goes into a new database");
    if (rc == SC_OK)
        rc = schedule(d, &items, &n, err);
    if (rc == SC_OK) {
        qsort(items, n, sizeof *items, cmp_item);
        rc = sc_store_begin(st, err);
    }
    for (size_t i = 0; rc == SC_OK && i < n; i++) {
        const struct item *it = &items[i];
        if (it->story == (int)N_STORIES) {
            rc = tick(d, it->day, err); /* joins the demo's transaction */
            continue;
        }
        d->story = &STORIES[it->story];
        d->step = &d->story->steps[it->idx];
        audit_days(d, it);
        set_clock(d, it->day);
        rc = run_step(d, err);
        if (rc != SC_OK)
            explain(it, err);
    }
    if (rc == SC_OK)
        rc = sc_store_commit(st, err);
    else
        sc_store_rollback(st);
    if (rc == SC_OK && counts)
        rc = sc_store_demo_counts(st, counts, err);
    free(items);
    free(d);
    return rc;
}

/* ---- counts ------------------------------------------------------------ */

static const char SQL_COUNT_ORGS[] = "SELECT COUNT(*) FROM organisations";
static const char SQL_COUNT_OUTLETS[] = "SELECT COUNT(*) FROM outlets";
static const char SQL_COUNT_QUALS[] = "SELECT COUNT(*) FROM qualifications";
static const char SQL_COUNT_LINKS[] =
    "SELECT COUNT(*) FROM impartiality_links";
static const char SQL_COUNT_CERTS[] = "SELECT COUNT(*) FROM certificates";
static const char SQL_COUNT_REVS[] =
    "SELECT COUNT(*) FROM certificate_revisions";
static const char SQL_COUNT_DOCS[] = "SELECT COUNT(*) FROM documents";
static const char SQL_COUNT_FINDINGS[] = "SELECT COUNT(*) FROM findings";
static const char SQL_COUNT_DECISIONS[] = "SELECT COUNT(*) FROM decisions";
static const char SQL_COUNT_EVENTS[] = "SELECT COUNT(*) FROM events";
static const char SQL_GROUP_USERS[] =
    "SELECT role, COUNT(*) FROM users GROUP BY role ORDER BY role";
static const char SQL_GROUP_APPS[] =
    "SELECT state, COUNT(*) FROM applications GROUP BY state ORDER BY state";
static const char SQL_GROUP_CERT_STATES[] =
    "SELECT state, COUNT(*) FROM certificates GROUP BY state ORDER BY state";
static const char SQL_GROUP_CERT_LEVELS[] =
    "SELECT level, COUNT(*) FROM certificates GROUP BY level ORDER BY level";
static const char SQL_GROUP_AUDITS[] =
    "SELECT state, COUNT(*) FROM audits GROUP BY state ORDER BY state";

static enum sc_err count_one(struct sc_store *st, const char *sql,
                             json_t *obj, const char *key,
                             struct sc_error *err)
{
    struct sc_stmt *q = NULL;
    bool row = false;
    enum sc_err rc = sc_db_prepare(sc_store_db(st), sql, &q, err);
    if (rc != SC_OK)
        return rc;
    rc = sc_db_step(q, &row, err);
    if (rc == SC_OK && row)
        json_object_set_new(obj, key, json_integer(sc_db_col_int(q, 0)));
    sc_db_done(q);
    return rc;
}

/* Fills `obj` (which already holds every known key at 0) from a GROUP BY. */
static enum sc_err count_group(struct sc_store *st, const char *sql,
                               json_t *obj, struct sc_error *err)
{
    struct sc_stmt *q = NULL;
    bool row = false;
    enum sc_err rc = sc_db_prepare(sc_store_db(st), sql, &q, err);
    if (rc != SC_OK)
        return rc;
    while ((rc = sc_db_step(q, &row, err)) == SC_OK && row) {
        const char *k = sc_db_col_text(q, 0);
        json_object_set_new(obj, k ? k : "null",
                            json_integer(sc_db_col_int(q, 1)));
    }
    sc_db_done(q);
    return rc;
}

enum sc_err sc_store_demo_counts(struct sc_store *st, json_t **out,
                                 struct sc_error *err)
{
    static const char *const levels[] = {"compliant", "three_star",
                                         "four_star", "five_star"};
    json_t *o = json_object(), *users = json_object(), *apps = json_object(),
           *certs = json_object(), *cs = json_object(), *cl = json_object(),
           *audits = json_object();
    enum sc_err rc = SC_OK;
    if (!o || !users || !apps || !certs || !cs || !cl || !audits)
        rc = sc_error_set(err, SC_ERR_NOMEM, NULL, NULL);
    for (int r = 0; rc == SC_OK && r < SC_ROLE_COUNT_; r++)
        if (r != SC_ROLE_SYSTEM)
            json_object_set_new(
                users, sc_workflow_role_name((enum sc_workflow_role)r),
                json_integer(0));
    for (int s = 0; rc == SC_OK && s < SC_APP_STATE_COUNT_; s++)
        json_object_set_new(
            apps, sc_workflow_app_state_name((enum sc_workflow_app_state)s),
            json_integer(0));
    for (int s = 0; rc == SC_OK && s < SC_CERT_STATE_COUNT_; s++)
        json_object_set_new(
            cs, sc_workflow_cert_state_name((enum sc_workflow_cert_state)s),
            json_integer(0));
    for (size_t l = 0; rc == SC_OK && l < sizeof levels / sizeof *levels; l++)
        json_object_set_new(cl, levels[l], json_integer(0));
    for (int s = 0; rc == SC_OK && s < SC_AUDIT_STATE_COUNT_; s++)
        json_object_set_new(audits,
                            sc_audit_state_name((enum sc_audit_state)s),
                            json_integer(0));
    if (rc == SC_OK)
        rc = count_one(st, SQL_COUNT_ORGS, o, "organisations", err);
    if (rc == SC_OK)
        rc = count_one(st, SQL_COUNT_OUTLETS, o, "outlets", err);
    if (rc == SC_OK)
        rc = count_group(st, SQL_GROUP_USERS, users, err);
    if (rc == SC_OK)
        rc = count_one(st, SQL_COUNT_QUALS, o, "qualifications", err);
    if (rc == SC_OK)
        rc = count_one(st, SQL_COUNT_LINKS, o, "impartiality_links", err);
    if (rc == SC_OK)
        rc = count_group(st, SQL_GROUP_APPS, apps, err);
    if (rc == SC_OK)
        rc = count_one(st, SQL_COUNT_CERTS, certs, "total", err);
    if (rc == SC_OK)
        rc = count_group(st, SQL_GROUP_CERT_STATES, cs, err);
    if (rc == SC_OK)
        rc = count_group(st, SQL_GROUP_CERT_LEVELS, cl, err);
    if (rc == SC_OK)
        rc = count_one(st, SQL_COUNT_REVS, o, "certificate_revisions", err);
    if (rc == SC_OK)
        rc = count_group(st, SQL_GROUP_AUDITS, audits, err);
    if (rc == SC_OK)
        rc = count_one(st, SQL_COUNT_DOCS, o, "documents", err);
    if (rc == SC_OK)
        rc = count_one(st, SQL_COUNT_FINDINGS, o, "findings", err);
    if (rc == SC_OK)
        rc = count_one(st, SQL_COUNT_DECISIONS, o, "decisions", err);
    if (rc == SC_OK)
        rc = count_one(st, SQL_COUNT_EVENTS, o, "events", err);
    if (rc == SC_OK) {
        json_object_set_new(certs, "status", cs);
        json_object_set_new(certs, "level", cl);
        json_object_set_new(o, "users", users);
        json_object_set_new(o, "applications", apps);
        json_object_set_new(o, "certificates", certs);
        json_object_set_new(o, "audits", audits);
        *out = o;
        return SC_OK;
    }
    json_decref(o);
    json_decref(users);
    json_decref(apps);
    json_decref(certs);
    json_decref(cs);
    json_decref(cl);
    json_decref(audits);
    return rc;
}

/* ---- passwords --------------------------------------------------------- */

static const char SQL_USERS[] = "SELECT id, login FROM users ORDER BY id";

static bool demo_login(const char *login)
{
    for (size_t i = 0; i < N_STAFF; i++)
        if (strcmp(STAFF[i].login, login) == 0)
            return true;
    for (size_t i = 0; i < N_FIRMS; i++)
        if (FIRMS[i].login && strcmp(FIRMS[i].login, login) == 0)
            return true;
    return false;
}

enum sc_err sc_store_demo_passwords(struct sc_store *st,
                                    const struct sc_clock *clk,
                                    const char *password,
                                    struct sc_error *err)
{
    struct sc_stmt *q = NULL;
    struct sc_session_limits limits;
    int64_t ids[N_STAFF + N_FIRMS];
    size_t n = 0;
    bool row = false;
    enum sc_err rc = sc_db_prepare(sc_store_db(st), SQL_USERS, &q, err);
    if (rc != SC_OK)
        return rc;
    while ((rc = sc_db_step(q, &row, err)) == SC_OK && row) {
        if (n == N_STAFF + N_FIRMS || !demo_login(sc_db_col_text(q, 1))) {
            rc = sc_error_set(err, SC_ERR_CONFLICT, "db",
                              "not a demo database: only a demo's users get "
                              "a shared password");
            break;
        }
        ids[n++] = sc_db_col_int(q, 0);
    }
    sc_db_done(q);
    sc_session_limits_default(&limits);
    for (size_t i = 0; rc == SC_OK && i < n; i++)
        rc = sc_store_password_set(st, clk, NULL, true, ids[i], NULL, password,
                                   0, &limits, NULL, NULL, err);
    return rc;
}
