"""At most one 보편방문(65·70세) campaign per dong and year, in the database.

A campaign's dongs live in the many-to-many table, and a campaign with no dongs is city-wide,
so no unique index can say it: a constraint trigger on both tables checks, at COMMIT (when the
campaign and its dongs are both written), that no other universal campaign of the same year
shares a dong with it, and that neither of the two is city-wide. The check takes a
transaction-level advisory lock per year, the same one `campaign_create` takes, so two
transactions creating overlapping campaigns at once cannot both pass.
"""

from django.db import migrations

FUNCTION = r"""
CREATE OR REPLACE FUNCTION outreach_one_universal_per_dong_year() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    c outreach_campaign%ROWTYPE;
    clash outreach_campaign%ROWTYPE;
BEGIN
    -- The campaign as it stands at COMMIT (a deleted campaign is gone: nothing to check).
    -- Removing dongs is checked too: a campaign left with none is city-wide.
    IF TG_TABLE_NAME = 'outreach_campaign' THEN
        SELECT * INTO c FROM outreach_campaign WHERE id = NEW.id;
    ELSIF TG_OP = 'DELETE' THEN
        SELECT * INTO c FROM outreach_campaign WHERE id = OLD.campaign_id;
    ELSE
        SELECT * INTO c FROM outreach_campaign WHERE id = NEW.campaign_id;
    END IF;
    IF NOT FOUND OR c.kind <> 'universal' THEN
        RETURN NULL;
    END IF;
    PERFORM pg_advisory_xact_lock(hashtext('outreach:universal'), c.year::int);
    SELECT o.* INTO clash
    FROM outreach_campaign o
    WHERE o.kind = 'universal' AND o.year = c.year AND o.id <> c.id
      AND (NOT EXISTS (SELECT 1 FROM outreach_campaign_dongs d WHERE d.campaign_id = o.id)
           OR NOT EXISTS (SELECT 1 FROM outreach_campaign_dongs d WHERE d.campaign_id = c.id)
           OR EXISTS (SELECT 1 FROM outreach_campaign_dongs a
                      JOIN outreach_campaign_dongs b ON b.dong_id = a.dong_id
                      WHERE a.campaign_id = c.id AND b.campaign_id = o.id))
    ORDER BY o.id
    LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION '%년 보편방문 캠페인 "%"과(와) 대상 동이 겹칩니다. 같은 해 같은 동의 보편방문 캠페인은 하나만 둘 수 있습니다.',
            c.year, clash.name
            USING ERRCODE = 'unique_violation', CONSTRAINT = 'outreach_one_universal_per_dong_year';
    END IF;
    RETURN NULL;
END
$$;
"""

TRIGGERS = r"""
CREATE CONSTRAINT TRIGGER outreach_one_universal_per_dong_year
    AFTER INSERT OR UPDATE OF kind, year ON outreach_campaign
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION outreach_one_universal_per_dong_year();
CREATE CONSTRAINT TRIGGER outreach_one_universal_per_dong_year
    AFTER INSERT OR UPDATE OR DELETE ON outreach_campaign_dongs
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION outreach_one_universal_per_dong_year();
"""

REVERSE = r"""
DROP TRIGGER IF EXISTS outreach_one_universal_per_dong_year ON outreach_campaign_dongs;
DROP TRIGGER IF EXISTS outreach_one_universal_per_dong_year ON outreach_campaign;
DROP FUNCTION IF EXISTS outreach_one_universal_per_dong_year();
"""


class Migration(migrations.Migration):
    dependencies = [("outreach", "0004_visit_task_lifecycle")]

    operations = [migrations.RunSQL(FUNCTION + TRIGGERS, REVERSE)]
