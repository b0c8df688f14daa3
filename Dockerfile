# The provnews image: Airflow 3 (official image: Celery and Postgres providers included) + this project.
# Built by docker-compose.yml for every Airflow service, so scheduler, workers and dag-processor run the same code.
#   docker build -t provnews-airflow .
FROM apache/airflow:3.3.2-python3.11

ENV PROVNEWS_HOME=/opt/provnews
WORKDIR /opt/provnews

# Dependencies first (better layer caching), then the code. Airflow is pinned to the image's version.
# The pipeline only: the replica, the demo and the launchers (tools/, provnews-tools) stay out of the image.
COPY --chown=airflow:root pyproject.toml README.md ./
COPY --chown=airflow:root provnews ./provnews
COPY --chown=airflow:root sources ./sources
COPY --chown=airflow:root crawler ./crawler
COPY --chown=airflow:root transforms ./transforms
COPY --chown=airflow:root warehouse ./warehouse
COPY --chown=airflow:root dags ./dags
RUN pip install --no-cache-dir "apache-airflow==3.3.2" -e .

# The warehouse volume's mount point, owned by the airflow user (a new named volume copies this ownership).
USER root
RUN mkdir -p /data/warehouse && chown -R airflow:root /data
USER airflow

# The DAGs read their sources at parse time and the tasks write to the warehouse volume.
ENV AIRFLOW__CORE__DAGS_FOLDER=/opt/provnews/dags \
    PROVNEWS_SOURCES_DIR=/opt/provnews/sources/profiles \
    PROVNEWS_WAREHOUSE=/data/warehouse
