/*
 * gen: writes a realistic CSV of N certificates for `starcert import`
 * (columns of docs/import.md), as a certification body's registry would
 * hold them on day D, plus a file of look-up queries for bench/lookup.
 *
 *   gen N D CERTS.csv QUERIES.txt [SEED]
 *
 * Each certificate: a Chinese company name built from parts (city + trade
 * name + industry + legal form: 青岛海尔电器有限公司), a valid and unique
 * 统一社会信用代码, an address, a level and score drawn like real audit
 * results, a cycle start in the 40 months before D (a third of them
 * recertified, with an earlier initial issue), the surveillance history of
 * that cycle (most audits inside their window, some missed), and the
 * status the timeline gives on D (active, suspended, withdrawn, expired),
 * plus a few cancelled and confidential ones. Dates come from
 * src/core/timeline, so the file is consistent: ticking on D changes
 * nothing. Deterministic for a seed. Not a test; not part of the library.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/scheme.h"
#include "core/timeline.h"
#include "core/uscc.h"

static uint64_t rng = 88172645463325252ull;

static uint64_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static uint32_t below(uint32_t n) { return (uint32_t)(next() % n); }

#define PICK(a) (a[below((uint32_t)(sizeof a / sizeof a[0]))])

static const char *const cities[] = {
    "北京", "上海", "天津", "重庆", "广州", "深圳", "杭州", "南京", "苏州",
    "青岛", "济南", "武汉", "长沙", "成都", "西安", "郑州", "合肥", "福州",
    "厦门", "宁波", "无锡", "佛山", "东莞", "珠海", "中山", "温州", "绍兴",
    "嘉兴", "烟台", "潍坊", "大连", "沈阳", "长春", "哈尔滨", "石家庄",
    "太原", "南昌", "南宁", "昆明", "贵阳", "兰州", "银川", "西宁",
    "乌鲁木齐", "呼和浩特", "海口", "拉萨", "常州", "徐州", "泉州"};

/* single characters that trade names (字号) are made of */
static const char *const name_chars[] = {
    "海", "尔", "美", "的", "格", "力", "华", "为", "联", "想", "长", "虹",
    "康", "佳", "创", "维", "海", "信", "方", "太", "老", "板", "志", "高",
    "奥", "克", "斯", "新", "飞", "荣", "事", "达", "万", "和", "宏", "图",
    "金", "鑫", "源", "泰", "瑞", "丰", "盛", "昌", "隆", "兴", "德", "福",
    "安", "恒", "通", "远", "博", "鸿", "亚", "东", "南", "北", "中", "天",
    "星", "辰", "光", "明", "佳", "欣", "悦", "乐", "家", "和", "顺", "利",
    "诚", "信", "伟", "业", "凯", "旋", "晨", "阳", "嘉", "宝", "龙", "凤",
    "云", "山", "江", "河", "湖", "川", "林", "森", "益", "民", "众", "合"};

static const char *const famous[] = {"海尔", "美的", "格力", "华为", "联想",
                                     "长虹", "康佳", "海信", "方太", "老板"};

static const char *const industries[] = {
    "电器", "家电", "电子", "科技", "智能科技", "家居", "家具", "厨具",
    "卫浴", "汽车销售服务", "汽车服务", "物流", "电梯", "空调", "通信设备",
    "计算机", "医疗器械", "仪器仪表", "机械设备", "电气", "建材", "门窗",
    "净水设备", "照明", "安防", "电动车", "商贸", "供应链", "信息技术",
    "环境科技"};

static const char *const forms[] = {"有限公司", "有限公司", "有限公司",
                                    "股份有限公司", "集团有限公司",
                                    "有限责任公司"};

static const char *const scopes[] = {
    "家用电器的销售、配送、安装、维修及技术咨询服务",
    "空调器的销售、安装、维修保养及以旧换新服务",
    "厨房电器的销售、送货、安装调试、维修及配件供应",
    "汽车的销售、维修保养、配件供应及客户关怀服务",
    "家具的销售、配送、安装及售后维修服务",
    "计算机及外围设备的销售、技术支持与维修服务",
    "电梯的销售、安装、维修保养及改造服务",
    "医疗器械的销售、安装调试、培训及维修服务",
    "净水设备的销售、安装、滤芯更换及维修服务",
    "通信设备的销售、技术咨询、用户培训及维修服务",
    "照明产品的销售、配送、安装及质量保证服务",
    "电动自行车的销售、维修、配件供应及回收服务"};

static const char *const regions[] = {
    "110105", "310115", "120116", "500112", "440106", "440305", "330106",
    "320106", "320506", "370212", "370102", "420106", "430104", "510107",
    "610113", "410105", "340104", "350102", "350206", "330212"};

static const char *const roads[] = {"人民路", "解放路", "中山路", "建设路",
                                    "长江路", "黄河路", "科技路", "创业大道",
                                    "世纪大道", "滨海路"};

static const char alphabet[] = SC_USCC_ALPHABET;

/* A unique code for index i: "91" + region + 9 characters from a
 * bijective scramble of i modulo 31^9, + check. */
static void make_uscc(uint64_t i, char out[SC_USCC_LEN + 1])
{
    const uint64_t mod = 26439622160671ull; /* 31^9 */
    uint64_t x = (i * 1000003ull + 7919ull) % mod;
    memcpy(out, "91", 2);
    memcpy(out + 2, regions[i % (sizeof regions / sizeof regions[0])], 6);
    for (int k = 16; k >= 8; k--) {
        out[k] = alphabet[x % 31];
        x /= 31;
    }
    out[17] = sc_uscc_check_char(out);
    out[18] = '\0';
}

static int level_of(int tenths, const char **level)
{
    *level = tenths >= 950   ? "five_star"
             : tenths >= 900 ? "four_star"
             : tenths >= 800 ? "three_star"
                             : "compliant";
    return tenths;
}

int main(int argc, char **argv)
{
    struct sc_scheme *s = malloc(sizeof *s);
    struct sc_error err;
    sc_day D = 0;
    if (argc < 5 || argc > 6 || !s) {
        fprintf(stderr, "usage: gen N YYYY-MM-DD CERTS.csv QUERIES.txt [SEED]\n");
        return 2;
    }
    long n = strtol(argv[1], NULL, 10);
    if (argc == 6)
        rng ^= (uint64_t)strtoull(argv[5], NULL, 10) * 0x9E3779B97F4A7C15ull;
    if (n < 1 || sc_date_parse(argv[2], "D", &D, &err) != SC_OK ||
        sc_scheme_load_default(s, &err) != SC_OK) {
        fprintf(stderr, "gen: bad arguments\n");
        return 2;
    }
    FILE *out = fopen(argv[3], "w");
    FILE *q = fopen(argv[4], "w");
    if (!out || !q) {
        perror("gen");
        return 1;
    }
    static char buf[1 << 20];
    setvbuf(out, buf, _IOFBF, sizeof buf);
    fputs("number,organisation,uscc,address,employees,level,score,status,"
          "status_since,initial_issued,cycle_start,issued,expires,"
          "last_surveillance,surveillance_count,scope,outlets,confidential\n",
          out);
    static int64_t seq_by_year[10000];
    for (long i = 0; i < n; i++) {
        char name[256], code[SC_USCC_LEN + 1], trade[16], number[64];
        char d_since[SC_DATE_BUF], d_init[SC_DATE_BUF], d_cycle[SC_DATE_BUF],
            d_exp[SC_DATE_BUF], d_last[SC_DATE_BUF];
        const char *city = PICK(cities);
        if (below(200) == 0)
            snprintf(trade, sizeof trade, "%s", PICK(famous));
        else
            snprintf(trade, sizeof trade, "%s%s", PICK(name_chars),
                     PICK(name_chars));
        snprintf(name, sizeof name, "%s%s%s%s", city, trade, PICK(industries),
                 PICK(forms));
        make_uscc((uint64_t)i, code);

        /* cycle start in the 40 months before D */
        sc_day cycle = D - 1 - (sc_day)below(1217);
        sc_day initial = below(3) == 0 ? sc_date_add_months(cycle, -36) : cycle;
        sc_day expires = 0;
        sc_timeline_expiry(s, cycle, &expires, &err);

        /* surveillance history up to D */
        sc_day anchor = cycle, last = 0;
        int done = 0;
        struct sc_timeline_window w;
        bool exists = false, pending = false, missed = false;
        for (;;) {
            sc_timeline_window(s, anchor, expires, done + 1, &w, &exists, &err);
            if (!exists)
                break;
            pending = true;
            if (w.opens > D)
                break;
            if (below(100) < 4) { /* this audit never happens */
                missed = true;
                break;
            }
            sc_day span = w.nominal_to - w.nominal_from + 1;
            sc_day day = w.nominal_from + (sc_day)below((uint32_t)span);
            if (below(10) == 0) /* early or late, still inside the window */
                day = w.opens + (sc_day)below((uint32_t)(w.closes - w.opens + 1));
            if (day > D)
                break;
            last = day;
            anchor = day;
            done++;
            pending = false;
        }
        (void)missed;
        struct sc_timeline_status stt;
        sc_timeline_state_on(s, cycle, expires, pending ? &w : NULL, D, &stt,
                             &err);
        const char *status = sc_timeline_state_name(stt.state);
        sc_day since = stt.since;
        if (stt.state == SC_TL_ACTIVE && below(100) < 2) { /* holder quit */
            status = "cancelled";
            since = cycle + (sc_day)below((uint32_t)(D - cycle + 1));
        }
        int tenths = 700 + (int)below(301);
        if (below(3) == 0)
            tenths = 850 + (int)below(151);
        const char *level;
        level_of(tenths, &level);

        int year = 0, mo = 0, dd = 0;
        sc_date_to_ymd(initial, &year, &mo, &dd);
        int64_t seq = ++seq_by_year[year];
        snprintf(number, sizeof number, "ASC-%04d-%06lld", year,
                 (long long)seq);
        sc_date_format(since, d_since);
        sc_date_format(initial, d_init);
        sc_date_format(cycle, d_cycle);
        sc_date_format(expires, d_exp);
        if (done)
            sc_date_format(last, d_last);
        else
            d_last[0] = '\0';
        int outlets = (int)below(12);
        fprintf(out,
                "%s,%s,%s,%s%s区%s%u号,%u,%s,%d.%d,%s,%s,%s,%s,%s,%s,%s,%d,"
                "\"%s\",%s%s,%d\n",
                number, name, code, city, PICK(cities), PICK(roads),
                1 + below(999), 5 + below(5000), level, tenths / 10,
                tenths % 10, status, d_since, d_init, d_cycle, d_cycle, d_exp,
                d_last, done, PICK(scopes), outlets ? city : "",
                outlets ? "及周边服务网点" : "", below(100) == 0);
        /* queries: every 100th number, names and their fragments */
        if (i % 100 == 0) {
            fprintf(q, "number\t%s\n", number);
            fprintf(q, "name2\t%s\n", trade);
            fprintf(q, "name3\t%s%s\n", city, trade);
            fprintf(q, "uscc\t%s\n", code);
        }
    }
    if (fclose(out) != 0 || fclose(q) != 0) {
        perror("gen");
        return 1;
    }
    free(s);
    return 0;
}
