import services.scheduling.programme_models  # noqa: F401  (the programme's tables)
from services.scheduling.models import Base
from shared.alembic_env import run

run(Base.metadata)
